import { HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '../src/health/indicators/database.indicator';
import { MemoryHealthIndicator } from '../src/health/indicators/memory.indicator';
import { startTestApp, TestApp } from './support/test-app';

interface HealthBody {
  status: string;
  checks: Record<string, { status: string; message: string; latency_ms?: number }>;
  uptime_seconds: number;
  memory_usage: Record<string, number>;
}

/** An internal error text that must reach the log once, and never a response body. */
const INTERNAL_CAUSE = 'connect ECONNREFUSED 10.77.0.5:5432';

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/**
 * The health routes run @nestjs/terminus indicators through HealthCheckService: a failing indicator
 * turns readiness 503, and Terminus' result comes back in the original response shapes.
 */
describe('Health indicators through Terminus', () => {
  let t: TestApp;
  let terminusCheck: jest.SpiedFunction<HealthCheckService['check']>;

  async function get(url: string): Promise<{ status: number; body: HealthBody; raw: string }> {
    const res = await t.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json<HealthBody>(), raw: res.body };
  }

  beforeAll(async () => {
    t = await startTestApp();
    // listen() does this in production: Nest's logger holds its lines in a buffer until the app listens.
    t.app.flushLogs();
  });
  afterAll(() => t.close());

  beforeEach(() => {
    // Observes the calls and lets them through: every check still runs for real.
    terminusCheck = jest.spyOn(t.app.get(HealthCheckService), 'check');
  });
  afterEach(() => jest.restoreAllMocks());

  it('turns readiness 503 when the database indicator reports down, logging the cause once', async () => {
    const database = t.app.get(DatabaseHealthIndicator);
    const ping = jest.spyOn(database, 'ping').mockRejectedValue(new Error(INTERNAL_CAUSE));
    for (let probe = 0; probe < 3; probe++) {
      const { status, body, raw } = await get('/health/ready');
      expect(status).toBe(503);
      expect(body.status).toBe('unhealthy');
      expect(body.checks).toEqual({
        database: { status: 'unhealthy', message: 'Database unreachable' },
        migrations: { status: 'healthy', message: 'No migration pending' },
      });
      expect(raw).not.toContain('10.77.0.5');
    }
    expect(terminusCheck).toHaveBeenCalledTimes(3);
    expect(ping).toHaveBeenCalledTimes(3);
    const database503 = await get('/health/database');
    expect(database503.status).toBe(503);
    expect(database503.body.checks).toEqual({ database: { status: 'unhealthy', message: 'Database unreachable' } });

    ping.mockRestore();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toMatchObject({ status: 'healthy', latency_ms: expect.any(Number) });

    // One line when the check fails and one when it recovers; Terminus' own error log stays quiet.
    const log = await t.waitForLog('app.log', /health check database healthy again/);
    expect(count(log, /health check database unhealthy: connect ECONNREFUSED 10\.77\.0\.5/)).toBe(1);
    expect(count(log, /health check database healthy again/)).toBe(1);
    expect(`${log}${t.readLog('error.log')}`).not.toMatch(/Health Check has failed/);
  });

  it('reports the Terminus-checked dependencies of /health/detailed in the original shape', async () => {
    const { status, body } = await get('/health/detailed');
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(terminusCheck).toHaveBeenCalledTimes(1);
    // What the indicators handed Terminus: its up/down results, keyed by check name.
    const indicators = terminusCheck.mock.calls[0][0];
    const results = (await Promise.all(indicators.map((indicator) => indicator()))) as HealthIndicatorResult[];
    const details = Object.assign({}, ...results) as HealthIndicatorResult;
    expect(Object.keys(details).sort()).toEqual(['database', 'disk', 'memory', 'redis']);
    for (const [name, detail] of Object.entries(details)) {
      expect({ name, status: detail.status }).toEqual({ name, status: 'up' });
      expect(body.checks[name]).toMatchObject({ status: 'healthy', message: expect.any(String) });
    }
    expect(body.checks.database.latency_ms).toEqual(expect.any(Number));
    expect(body.checks.application).toEqual({ status: 'healthy', message: 'Application is running' });
    expect(body.uptime_seconds).toBeGreaterThan(0);
    expect(Object.keys(body.memory_usage).sort()).toEqual(['percentage', 'total_gb', 'used_gb']);
  });

  it('reports degraded (200), not unhealthy, when an indicator other than the database is down', async () => {
    jest.spyOn(t.app.get(MemoryHealthIndicator), 'heap').mockImplementation(() => {
      throw new Error('heap statistics unavailable');
    });
    const { status, body } = await get('/health/detailed');
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.memory).toEqual({ status: 'unhealthy', message: 'Could not read memory usage' });
    expect(body.checks.database.status).toBe('healthy');
    const ready = await get('/health/ready');
    expect({ status: ready.status, checks: ready.body.checks }).toMatchObject({ status: 200 });
  });
});
