import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseOutageLog, OUTAGE_PROBE_MS, outageCause } from './database-outage-log';

/** A DataSource whose probe query fails while `down` is true. */
function database(): { dataSource: DataSource; state: { down: boolean; probes: number } } {
  const state = { down: true, probes: 0 };
  const dataSource = {
    query: () => {
      state.probes += 1;
      return state.down ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve([{ '?column?': 1 }]);
    },
  } as unknown as DataSource;
  return { dataSource, state };
}

const refusedError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('DatabaseOutageLog', () => {
  let warned: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warned.mockRestore();
    jest.useRealTimers();
  });

  it('says when an outage begins once, however many requests it refuses, and counts them', () => {
    const log = new DatabaseOutageLog(database().dataSource);
    for (let i = 0; i < 5; i++) log.refused(refusedError);
    log.noticed(refusedError);
    expect(warned).toHaveBeenCalledTimes(1);
    expect(warned.mock.calls[0][0]).toEqual({ cause: 'Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432' });
    log.beforeApplicationShutdown();
  });

  it('says when it ends, found by a probe, with how many requests were answered 503', async () => {
    const { dataSource, state } = database();
    const log = new DatabaseOutageLog(dataSource);
    log.refused(refusedError);
    log.refused(refusedError);
    await jest.advanceTimersByTimeAsync(OUTAGE_PROBE_MS * 3);
    expect(warned).toHaveBeenCalledTimes(1);
    state.down = false;
    await jest.advanceTimersByTimeAsync(OUTAGE_PROBE_MS);
    expect(warned).toHaveBeenCalledTimes(2);
    expect(warned.mock.calls[1][0]).toEqual({ outage_seconds: 4, refused_requests: 2 });
    expect(warned.mock.calls[1][1]).toBe('database reachable again after 4 s: 2 requests were answered 503');
    // No probing once it ended; a new refusal is a new outage.
    const probes = state.probes;
    await jest.advanceTimersByTimeAsync(OUTAGE_PROBE_MS * 3);
    expect(state.probes).toBe(probes);
    log.refused(refusedError);
    expect(warned).toHaveBeenCalledTimes(3);
    log.beforeApplicationShutdown();
  });

  it('gives the count at shutdown when the outage has not ended, and probes no more', async () => {
    const { dataSource, state } = database();
    const log = new DatabaseOutageLog(dataSource);
    log.refused(refusedError);
    log.beforeApplicationShutdown();
    expect(warned.mock.calls[1][1]).toMatch(/^database still unreachable at shutdown after [\d.]+ s: 1 request was/);
    await jest.advanceTimersByTimeAsync(OUTAGE_PROBE_MS * 3);
    expect(state.probes).toBe(0);
  });

  it('never runs two probes at once when one waits on the connect timeout', async () => {
    let release: () => void = () => undefined;
    let running = 0;
    let most = 0;
    const dataSource = {
      query: () => {
        running += 1;
        most = Math.max(most, running);
        return new Promise<void>((resolve) => (release = resolve)).finally(() => (running -= 1));
      },
    } as unknown as DataSource;
    const log = new DatabaseOutageLog(dataSource);
    log.noticed(refusedError);
    await jest.advanceTimersByTimeAsync(OUTAGE_PROBE_MS * 5);
    expect(most).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(warned.mock.calls[1][1]).toMatch(/^database reachable again after [\d.]+ s: 0 requests were/);
  });
});

describe('outageCause', () => {
  it('names the class, the code (or the driver error code) and the first line of the message', () => {
    expect(outageCause(refusedError)).toBe('Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432');
    const typeorm = Object.assign(new Error('Connection terminated unexpectedly\nat Socket...'), {
      name: 'QueryFailedError',
      driverError: { code: '57P01' },
    });
    expect(outageCause(typeorm)).toBe('QueryFailedError 57P01: Connection terminated unexpectedly');
    expect(outageCause('down')).toBe('down');
  });
});
