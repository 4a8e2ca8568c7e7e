import { Client } from 'pg';
import { OwnPostgresServer } from './support/own-postgres-server';
import { startTestApp, TestApp } from './support/test-app';

const PASSWORD = 'SecurePass123!';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  ms: number;
}

/**
 * What clients and probes see while PostgreSQL is down, and after it returns. The database is a
 * cluster of this test's own (whatever DATABASE_URL says), so it runs in both CI passes.
 */
describe('Database outage', () => {
  let pg: OwnPostgresServer;
  let t: TestApp;
  let accessToken: string;

  async function call(method: 'GET' | 'POST', url: string, payload?: object, token?: string): Promise<Answer> {
    const started = Date.now();
    const res = await t.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.statusCode, headers: res.headers, body: res.body, ms: Date.now() - started };
  }

  function register(email: string): Promise<Answer> {
    return call('POST', '/user/auth/register', { firstName: 'Out', lastName: 'Age', email, password: PASSWORD });
  }

  async function storedEmails(): Promise<string[]> {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ email: string }>('SELECT email FROM users ORDER BY email');
      return rows.map((row) => row.email);
    } finally {
      await client.end();
    }
  }

  function expectUnavailableProblem(answer: Answer): void {
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, detail: expect.stringMatching(/temporarily unavailable/) });
    expect(answer.body).not.toMatch(/ECONNREFUSED|terminated|127\.0\.0\.1|SELECT|INSERT/);
    expect(answer.headers['retry-after']).toBe('5');
  }

  beforeAll(async () => {
    pg = await OwnPostgresServer.create();
    t = await startTestApp({ database: { env: { DATABASE_URL: pg.url }, drop: async () => undefined } });
    expect((await register('before@example.com')).status).toBe(201);
    const login = await call('POST', '/user/auth/login', { email: 'before@example.com', password: PASSWORD });
    expect(login.status).toBe(200);
    accessToken = (JSON.parse(login.body) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    await t?.close();
    await pg?.remove();
  });

  it('serves the API, and is ready, while PostgreSQL is up', async () => {
    expect((await call('GET', '/user/me', undefined, accessToken)).status).toBe(200);
    expect((await call('GET', '/health/ready')).status).toBe(200);
  });

  it('loses no acknowledged write when PostgreSQL crashes under writes', async () => {
    const emails = Array.from({ length: 12 }, (_, i) => `crash-${i}@example.com`);
    const writes = emails.map((email) => register(email));
    await new Promise((resolve) => setTimeout(resolve, 60));
    await pg.stop('immediate');
    const answers = await Promise.all(writes);
    for (const answer of answers) expect([201, 503]).toContain(answer.status);
    for (const answer of answers.filter((a) => a.status === 503)) expectUnavailableProblem(answer);
    const acknowledged = emails.filter((_, i) => answers[i].status === 201);
    await pg.start();
    const stored = await storedEmails();
    for (const email of acknowledged) expect(stored).toContain(email);
    await pg.stop('immediate');
  });

  it('while PostgreSQL is down: liveness 200, readiness and the database probe 503, quickly', async () => {
    const live = await call('GET', '/health/live');
    expect(live.status).toBe(200);
    for (const url of ['/health/ready', '/health/database', '/health/detailed']) {
      const probe = await call('GET', url);
      expect({ url, status: probe.status }).toEqual({ url, status: 503 });
      const body = JSON.parse(probe.body) as {
        status: string;
        checks: Record<string, { status: string; message: string }>;
      };
      expect(body.status).toBe('unhealthy');
      expect(body.checks.database).toEqual({
        status: 'unhealthy',
        message: expect.stringMatching(/^Database unreachable/),
      });
      expect(probe.ms).toBeLessThan(2000);
    }
  });

  it('while PostgreSQL is down: API routes answer 503 problem details, without hanging', async () => {
    expectUnavailableProblem(
      await call('POST', '/user/auth/login', { email: 'before@example.com', password: PASSWORD }),
    );
    // A token check that cannot reach the database is an outage, not a bad token.
    expectUnavailableProblem(await call('GET', '/user/me', undefined, accessToken));
    const refused = await register('during@example.com');
    expectUnavailableProblem(refused);
    expect(refused.ms).toBeLessThan(3500);
  });

  it('recovers by itself when PostgreSQL returns, with no restart', async () => {
    await pg.start();
    const deadline = Date.now() + 15_000;
    let ready = await call('GET', '/health/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await call('GET', '/health/ready');
    }
    expect(ready.status).toBe(200);
    expect((await call('GET', '/user/me', undefined, accessToken)).status).toBe(200);
    expect((await register('after@example.com')).status).toBe(201);
    const stored = await storedEmails();
    expect(stored).toEqual(expect.arrayContaining(['before@example.com', 'after@example.com']));
    expect(stored).not.toContain('during@example.com');
  });
});
