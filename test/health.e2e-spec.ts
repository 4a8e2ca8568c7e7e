import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { Settings } from '../src/config/settings';
import { ShutdownState } from '../src/lifecycle/shutdown-state';
import { MetricsService } from '../src/metrics/metrics.service';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL, startTestApp, TestApp } from './support/test-app';

interface Check {
  status: string;
  message: string;
  latency_ms?: number;
}

interface HealthBody {
  status: string;
  timestamp: string;
  version: string;
  environment: string;
  checks: Record<string, Check>;
  uptime_seconds: number;
  memory_usage: { total_gb: number; used_gb: number; percentage: number };
  process: Record<string, unknown> & { event_loop_delay_ms: Record<string, number> };
  configuration: Record<string, unknown>;
}

async function get(t: TestApp, url: string): Promise<{ status: number; body: HealthBody; ms: number; raw: string }> {
  const started = Date.now();
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<HealthBody>(), ms: Date.now() - started, raw: res.body };
}

/** A TCP port that accepts connections and never answers: a hung dependency. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** A port nothing listens on: a dependency that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What names a dependency's whereabouts, from the settings in force: URLs, hosts, database and user names. */
function dependencyIdentifiers(settings: Settings): string[] {
  const found: string[] = [];
  for (const url of [settings.database.url, settings.rateLimit.redisUrl, settings.mail.smtpUrl]) {
    if (!url) continue;
    const parsed = new URL(url);
    found.push(url, parsed.host, parsed.hostname);
    // Quoted or before an @: the user "postgres" is also a prefix of the kind "postgresql".
    if (parsed.username) found.push(`"${parsed.username}"`, `${parsed.username}@`);
    if (parsed.password) found.push(decodeURIComponent(parsed.password));
    // A PostgreSQL database name (Redis's "/0" is a number any body holds somewhere).
    if (/^postgres/.test(parsed.protocol)) found.push(parsed.pathname.slice(1));
  }
  if (settings.database.embedded) found.push(settings.database.dataDir);
  return found;
}

function expectNoDependencyIdentifiers(settings: Settings, raw: string): void {
  const identifiers = dependencyIdentifiers(settings);
  expect(identifiers.length).toBeGreaterThan(0);
  for (const identifier of identifiers)
    expect({ identifier, found: raw.includes(identifier) }).toEqual({ identifier, found: false });
}

function expectBasicShape(body: HealthBody): void {
  expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(body.environment).toBe('test');
}

describe('Health routes with every dependency up', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness without touching a dependency', async () => {
    const { status, body } = await get(t, '/health/live');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'healthy', timestamp: expect.any(String) });
  });

  it('is ready: database reachable, no migration pending (Redis is not part of readiness)', async () => {
    const { status, body } = await get(t, '/health/ready');
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expectBasicShape(body);
    expect(body.checks.database).toMatchObject({ status: 'healthy', latency_ms: expect.any(Number) });
    expect(body.checks.migrations).toEqual({ status: 'healthy', message: 'No migration pending' });
    expect(body.checks.redis).toBeUndefined();
  });

  it('reports the database round trip with its latency', async () => {
    const { status, body } = await get(t, '/health/database');
    expect(status).toBe(200);
    expectBasicShape(body);
    expect(body.status).toBe('healthy');
    expect(body.checks.database.status).toBe('healthy');
    expect(body.checks.database.latency_ms).toBeGreaterThan(0);
    expect(body.checks.database.latency_ms).toBeLessThan(1000);
  });

  it('gives the detailed report in the original shape', async () => {
    const { status, body } = await get(t, '/health/detailed');
    expect(status).toBe(200);
    expectBasicShape(body);
    expect(body.status).toBe('healthy');
    expect(Object.keys(body.checks).sort()).toEqual(['application', 'database', 'disk', 'memory', 'redis']);
    expect(body.checks.application).toEqual({ status: 'healthy', message: 'Application is running' });
    for (const check of Object.values(body.checks)) {
      expect(check).toMatchObject({ status: 'healthy', message: expect.any(String) });
    }
    expect(body.checks.redis.message).toMatch(SERVER_REDIS_URL ? /successful/ : /Not configured/);
    expect(body.checks.disk.message).toMatch(/GB free of/);
    expect(body.checks.memory.message).toMatch(/heap .* MB/);
    expect(body.uptime_seconds).toBeGreaterThan(0);
    const { total_gb, used_gb, percentage } = body.memory_usage;
    expect(total_gb).toBeGreaterThan(0);
    expect(used_gb).toBeGreaterThan(0);
    expect(used_gb).toBeLessThanOrEqual(total_gb);
    expect(percentage).toBeCloseTo((used_gb / total_gb) * 100, 0);
  });

  it('gives the full report: process facts and a configuration summary', async () => {
    const { status, body, raw } = await get(t, '/health/full');
    expect(status).toBe(200);
    expect(body.checks.database.status).toBe('healthy');
    expect(body.process).toMatchObject({ node_version: process.version, pid: process.pid });
    expect(body.process.event_loop_delay_ms.p99).toEqual(expect.any(Number));
    expect(body.configuration).toMatchObject({
      environment: 'test',
      database: { kind: SERVER_DATABASE_URL ? 'postgresql' : 'embedded' },
      rate_limit: { enabled: false },
    });
    expect(raw).not.toContain(t.settings.auth.secretKey);
  });

  it('shows no host, URL or database name of a dependency in /health/detailed or /health/full', async () => {
    for (const url of ['/health/detailed', '/health/full', '/health/ready', '/health/database']) {
      const { status, raw } = await get(t, url);
      expect({ url, status }).toEqual({ url, status: 200 });
      expectNoDependencyIdentifiers(t.settings, raw);
    }
    const { body } = await get(t, '/health/full');
    expect(body.configuration.database).toEqual({
      kind: SERVER_DATABASE_URL ? 'postgresql' : 'embedded',
      pool_size: expect.any(Number),
      echo: false,
    });
    expect(body.configuration.redis).toEqual({ configured: Boolean(SERVER_REDIS_URL) });
  });

  it('counts requests, latency and logins in /health/metrics', async () => {
    const before = (await get(t, '/health/metrics')).body as unknown as {
      requests: { total: number; by_status_class: Record<string, number> };
    };
    await t.app.inject({ method: 'GET', url: '/no/such/route' });
    await t.app.inject({ method: 'GET', url: '/health/live' });
    t.app.get(MetricsService).loginAttempt('success');
    t.app.get(MetricsService).loginAttempt('failure');
    t.app.get(MetricsService).loginAttempt('failure');
    const res = await t.app.inject({ method: 'GET', url: '/health/metrics' });
    expect(res.statusCode).toBe(200);
    const after = res.json<{
      status: string;
      requests: { total: number; by_status_class: Record<string, number> };
      latency_ms: Record<string, number | null>;
      logins: { success: number; failure: number };
    }>();
    expect(after.status).toBe('healthy');
    // The first /health/metrics call, the 404 and the liveness call: three more answered requests.
    expect(after.requests.total).toBe(before.requests.total + 3);
    expect(after.requests.by_status_class['4xx']).toBe(before.requests.by_status_class['4xx'] + 1);
    expect(after.latency_ms.p50).toBeGreaterThan(0);
    expect(after.latency_ms.p99).toBeGreaterThanOrEqual(after.latency_ms.p50 ?? 0);
    expect(after.logins).toEqual({ success: 1, failure: 2 });
  });

  it('is not ready while a migration is pending, and ready again once it is applied', async () => {
    const [last] = await t.dataSource.query<Array<{ id: number; timestamp: string; name: string }>>(
      'SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1',
    );
    await t.dataSource.query('DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      const { status, body } = await get(t, '/health/ready');
      expect(status).toBe(503);
      expect(body.status).toBe('unhealthy');
      expect(body.checks.migrations).toEqual({ status: 'unhealthy', message: 'Migrations are pending' });
      expect(body.checks.database.status).toBe('healthy');
    } finally {
      await t.dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
    expect((await get(t, '/health/ready')).status).toBe(200);
  });

  it('turns readiness 503 as soon as shutdown begins, while liveness stays 200', async () => {
    t.app.get(ShutdownState).begin();
    const ready = await get(t, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('unhealthy');
    expect(ready.body.checks).toEqual({
      shutdown: { status: 'unhealthy', message: expect.stringMatching(/Shutting down/) },
    });
    expect((await get(t, '/health/live')).status).toBe(200);
  });
});

describe('Health routes with Redis down or hung', () => {
  const PEPPER = 'pepper-that-must-never-show';
  const REDIS_PASSWORD = 'redis-password-that-must-never-show';
  let down: TestApp;
  let hung: TestApp;
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    silent = await silentServer();
    const limits = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_AUTH_REQUESTS: '3' };
    down = await startTestApp({
      env: {
        ...limits,
        REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${await closedPort()}/0`,
        PASSWORD_PEPPER: PEPPER,
      },
    });
    hung = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${silent.port}/0` } });
  });
  afterAll(async () => {
    await down?.close();
    await hung?.close();
    for (const socket of silent.sockets) socket.destroy();
    await new Promise((resolve) => silent.server.close(resolve));
  });

  it('stays ready while Redis is unreachable: the instance serves on its own counters', async () => {
    const { status, body } = await get(down, '/health/ready');
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.checks.redis).toBeUndefined();
    expect(body.checks.database.status).toBe('healthy');
  });

  it('reports degraded, not unhealthy, in the detailed report: the service still answers', async () => {
    const { status, body } = await get(down, '/health/detailed');
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.redis.status).toBe('unhealthy');
    expect(body.checks.database.status).toBe('healthy');
    expect((await get(down, '/health/live')).status).toBe(200);
  });

  it('does not wait on a Redis that accepts connections but never answers', async () => {
    const { status, body, ms } = await get(hung, '/health/detailed');
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.redis).toEqual({
      status: 'unhealthy',
      message: expect.stringMatching(/^Redis unreachable/),
      mode: 'single',
    });
    expect(body.checks.database.status).toBe('healthy');
    // Each check has a 1 s budget; a probe that waited on the silent server would hang for good.
    expect(ms).toBeLessThan(5000);
    expect((await get(hung, '/health/ready')).status).toBe(200);
  });

  it('keeps every secret, credential and dependency address out of /health/full and /health/detailed', async () => {
    for (const url of ['/health/full', '/health/detailed', '/health/ready']) {
      const { body, raw } = await get(down, url);
      if (url === '/health/full') expect(body.configuration).toMatchObject({ redis: { configured: true } });
      for (const secret of [PEPPER, REDIS_PASSWORD, down.settings.auth.secretKey ?? 'unset']) {
        expect(raw).not.toContain(secret);
      }
      expectNoDependencyIdentifiers(down.settings, raw);
    }
  });

  it('never rate limits the health routes or /metrics', async () => {
    for (const url of ['/health', '/health/live', '/health/metrics', '/metrics']) {
      for (let i = 0; i < 6; i++) {
        const res = await down.app.inject({ method: 'GET', url });
        expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      }
    }
  });
});
