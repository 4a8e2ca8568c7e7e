import { OUTAGE_PROBE_MS } from '../src/database/database-outage-log';
import { login, register, SignedInClient, STRONG_PASSWORD } from './support/accounts';
import { OwnPostgresServer } from './support/own-postgres-server';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

type LogLine = Record<string, unknown>;

/**
 * How a database outage reads in the logs: one WARNING when it begins (with its cause) and one when it
 * ends (with how many requests were answered 503), never a stack or an ERROR per refused request. The
 * database is a cluster of this test's own (whatever DATABASE_URL says), so it runs in both CI passes.
 */
describe('Database outage in the logs', () => {
  let pg: OwnPostgresServer;
  let t: TestApp;
  let client: SignedInClient;

  const lines = (file: 'app.log' | 'error.log'): LogLine[] =>
    t
      .readLog(file)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    pg = await OwnPostgresServer.create();
    t = await startTestApp({ database: { env: { DATABASE_URL: pg.url }, drop: async () => undefined } });
    // Nest's logger holds its lines until listen() (bufferLogs): flushed, so they reach the files here too.
    t.app.flushLogs();
    client = await login(t.app, await register(t.app));
  });

  afterAll(async () => {
    await t?.close();
    await pg?.remove();
  });

  it('writes one WARNING when it begins and one with the count when it ends, and nothing at ERROR', async () => {
    await pg.stop('fast');
    const refused = 7;
    for (let i = 0; i < refused; i++) {
      const res =
        i % 2 === 0
          ? await get(t.app, '/user/me', { authorization: `Bearer ${client.accessToken}` })
          : await post(t.app, '/user/auth/login', { email: client.email, password: STRONG_PASSWORD });
      expect(res.statusCode).toBe(503);
    }
    await pg.start();
    const ended = await t.waitForLog('app.log', /database reachable again/);
    expect(ended).toMatch(/database reachable again/);
    expect((await get(t.app, '/user/me', { authorization: `Bearer ${client.accessToken}` })).statusCode).toBe(200);

    const outage = lines('app.log').filter((line) => line.logger === 'Database');
    expect(outage).toEqual([
      expect.objectContaining({
        level: 'WARNING',
        message: expect.stringMatching(/^database unreachable/),
        cause: expect.stringMatching(/\w/),
      }),
      expect.objectContaining({
        level: 'WARNING',
        message: expect.stringMatching(
          new RegExp(`^database reachable again after [\\d.]+ s: ${refused} requests were answered 503$`),
        ),
        refused_requests: refused,
        outage_seconds: expect.any(Number),
      }),
    ]);
    // The end is found by a probe every OUTAGE_PROBE_MS, not by a request: its line names none.
    expect(outage[1].outage_seconds as number).toBeGreaterThan(0);
    expect(outage[1].request_id).toBeUndefined();
    expect(OUTAGE_PROBE_MS).toBeLessThanOrEqual(1000);
    // Each refused request keeps its request line, at WARNING; no line anywhere carries a stack.
    const answered503 = lines('app.log').filter((line) => line.logger === 'request' && line.status_code === 503);
    expect(answered503).toHaveLength(refused);
    for (const line of answered503) expect(line.level).toBe('WARNING');
    expect(t.readLog('app.log')).not.toMatch(/"stack"/);
    expect(lines('error.log')).toEqual([]);
  });
});
