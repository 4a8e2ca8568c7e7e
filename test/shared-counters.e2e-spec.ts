import { performance } from 'node:perf_hooks';
import { RedisConnection } from '../src/security/redis/redis-connection';
import { uniqueEmail } from './support/accounts';
import { freshClientIp } from './support/client-addresses';
import { OwnRedisServer } from './support/own-redis-server';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL, TestApp } from './support/test-app';
import { get } from './support/http';
import { startTwoInstances, TwoInstances } from './support/two-instances';

const LIMITS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_AUTH_REQUESTS: '4',
  RATE_LIMIT_AUTH_WINDOW: '60',
  LOCKOUT_THRESHOLD: '3',
};

/** One request against the auth budget: a logout without a session touches no database (204). */
function hit(t: TestApp, ip: string, headers: Record<string, string> = {}): Promise<number> {
  return t.app
    .inject({ method: 'POST', url: '/user/auth/logout', remoteAddress: ip, headers })
    .then((res) => res.statusCode);
}

function failLogin(t: TestApp, email: string, ip = freshClientIp()): Promise<number> {
  return t.app
    .inject({
      method: 'POST',
      url: '/user/auth/login',
      remoteAddress: ip,
      payload: { email, password: 'Not-The-One-42' },
    })
    .then((res) => res.statusCode);
}

function logLines(t: TestApp, text: string): number {
  return t
    .readLog('app.log')
    .split('\n')
    .filter((line) => line.includes(text)).length;
}

/** redis_fallbacks_total of an instance: its calls answered from memory while REDIS_URL is set. */
async function fallbacksOf(t: TestApp): Promise<number> {
  const metrics = await get(t.app, '/metrics');
  return Number(/^redis_fallbacks_total (\d+)$/m.exec(metrics.body)?.[1]);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}

// Two embedded databases booting side by side take long on a busy machine.
jest.setTimeout(180_000);

describe('Two instances sharing one Redis', () => {
  let own: OwnRedisServer | undefined;
  let a: TestApp;
  let b: TestApp;
  let pair: TwoInstances;

  beforeAll(async () => {
    if (!SERVER_REDIS_URL) own = await OwnRedisServer.start();
    pair = await startTwoInstances({ env: { ...LIMITS, REDIS_URL: SERVER_REDIS_URL ?? own?.url() ?? '' } });
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await own?.stop();
  });

  it('counts the auth limit across both, whatever X-Forwarded-For the client invents', async () => {
    const ip = freshClientIp();
    expect(await hit(a, ip)).toBe(204);
    expect(await hit(b, ip, { 'x-forwarded-for': freshClientIp() })).toBe(204);
    expect(await hit(a, ip, { 'x-forwarded-for': freshClientIp() })).toBe(204);
    expect(await hit(b, ip)).toBe(204);
    expect(await hit(a, ip, { 'x-forwarded-for': freshClientIp() })).toBe(429);
    expect(await hit(b, ip)).toBe(429);
  });

  // Lockout counters live in the database: two instances share them only on a database server (each
  // embedded instance has its own); test/counters-across-instances.e2e-spec.ts holds them there too.
  const onSharedDatabase = SERVER_DATABASE_URL ? it : it.skip;

  onSharedDatabase('holds a lockout started on one instance on the other, from any address', async () => {
    const email = uniqueEmail('shared-lock');
    expect(await failLogin(a, email)).toBe(401);
    expect(await failLogin(b, email)).toBe(401);
    expect(await failLogin(a, email)).toBe(401);
    expect(await failLogin(b, email)).toBe(429);
    expect(await failLogin(a, email.toUpperCase())).toBe(429);
  });

  onSharedDatabase(
    'gives at most LOCKOUT_THRESHOLD password verdicts to 24 guesses split over both at once',
    async () => {
      const email = uniqueEmail('shared-race');
      const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => failLogin(i % 2 ? a : b, email)));
      expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    },
  );

  it('never lost Redis on the way, nor answered a call from memory', async () => {
    expect(logLines(a, 'redis_unavailable') + logLines(b, 'redis_unavailable')).toBe(0);
    expect((await fallbacksOf(a)) + (await fallbacksOf(b))).toBe(0);
  });
});

describe('Redis going away and coming back', () => {
  let own: OwnRedisServer;
  let a: TestApp;
  let b: TestApp;
  let pair: TwoInstances;

  beforeAll(async () => {
    own = await OwnRedisServer.start();
    pair = await startTwoInstances({ env: { ...LIMITS, REDIS_URL: own.url() } });
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await own?.stop();
  });

  it('keeps answering quickly from per-instance memory, limits holding, then shares counters again', async () => {
    const before = freshClientIp();
    for (const instance of [a, b, a, b]) expect(await hit(instance, before)).toBe(204);
    expect(await hit(a, before)).toBe(429);

    await own.stop();

    // Each instance now counts on its own, from zero, and still refuses past the limit.
    for (const instance of [a, b]) {
      const ip = freshClientIp();
      for (let i = 0; i < 6; i += 1) {
        const started = performance.now();
        const status = await hit(instance, ip);
        expect(performance.now() - started).toBeLessThan(100);
        expect(status).toBe(i < 4 ? 204 : 429);
      }
    }
    // Every call answered from memory is counted, so an operator sees a Redis that is late, not only one that is gone.
    expect(await fallbacksOf(a)).toBeGreaterThanOrEqual(6);
    const email = uniqueEmail('outage-lock');
    for (let i = 0; i < 3; i += 1) expect(await failLogin(a, email)).toBe(401);
    expect(await failLogin(a, email)).toBe(429);

    const detailed = await get(a.app, '/health/detailed');
    expect((detailed.json() as { checks: Record<string, { status: string }> }).checks.redis.status).toBe('unhealthy');
    expect(a.app.get(RedisConnection).state).toBe('down');
    expect(await a.app.get(RedisConnection).ping()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logLines(a, 'redis_unavailable')).toBe(1);
    expect(logLines(b, 'redis_unavailable')).toBe(1);

    await own.start();
    await until(
      () => a.app.get(RedisConnection).state === 'up' && b.app.get(RedisConnection).state === 'up',
      'Redis is back',
    );

    const after = freshClientIp();
    for (const instance of [b, a, b, a]) expect(await hit(instance, after)).toBe(204);
    expect(await hit(b, after)).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logLines(a, 'redis_available')).toBe(1);
    expect(logLines(a, 'redis_unavailable')).toBe(1);
  });
});
