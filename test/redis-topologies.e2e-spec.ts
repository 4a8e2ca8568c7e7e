import { MetricsService } from '../src/metrics/metrics.service';
import { buildIfNeeded, sparePort } from './support/built-app-process';
import { freshClientIp } from './support/client-addresses';
import { runMain } from './support/run-main';
import { OwnRedisCluster, OwnSentinelGroup, redisCli } from './support/own-redis-topology';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL, startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

jest.setTimeout(120_000);

interface RedisCheck {
  status: string;
  message: string;
  mode?: string;
}

async function redisCheck(t: TestApp): Promise<{ check: RedisCheck; raw: string }> {
  const res = await get(t.app, '/health/detailed');
  expect(res.statusCode).toBe(200);
  return { check: res.json<{ checks: { redis: RedisCheck } }>().checks.redis, raw: res.body };
}

async function fallbacks(t: TestApp): Promise<number> {
  const metric = await t.app.get(MetricsService).redisFallbacks.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}

/** Logins from one address until the auth limit answers 429: the statuses, in order. */
async function loginsFromOneAddress(t: TestApp, count: number): Promise<number[]> {
  const ip = freshClientIp();
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/user/auth/login',
      remoteAddress: ip,
      payload: { email: `nobody-${i}@example.com`, password: 'Not-The-Password-7' },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

describe('REDIS_URL forms at start', () => {
  it('refuses a Sentinel URL without its master name in one line naming REDIS_URL, never its password', async () => {
    buildIfNeeded();
    const { code, lines } = await runMain({
      REDIS_URL: 'redis+sentinel://:pw-never-shown@127.0.0.1:26379,127.0.0.1:26380',
    });
    expect(lines).toEqual([
      'Invalid setting: REDIS_URL must end with the master group name: ' +
        'redis+sentinel://host:port,host:port/<master name>[/db]',
    ]);
    expect(code).toBe(1);
  }, 300_000);
});

describe('REDIS_URL topologies in /health/detailed', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  async function start(redisUrl: string | undefined): Promise<TestApp> {
    const t = await startTestApp({ env: { REDIS_URL: redisUrl ?? '' } });
    apps.push(t);
    return t;
  }

  it('shows no mode without REDIS_URL', async () => {
    const { check } = await redisCheck(await start(undefined));
    expect(check.status).toBe('healthy');
    expect(check.mode).toBeUndefined();
  });

  it('shows mode single for one server, even when that server is down', async () => {
    const t = await start(SERVER_REDIS_URL ?? `redis://127.0.0.1:${await sparePort()}/0`);
    const { check } = await redisCheck(t);
    expect(check.mode).toBe('single');
    expect(check.status).toBe(SERVER_REDIS_URL ? 'healthy' : 'unhealthy');
  });

  it('shows mode sentinel for a Sentinel group it cannot reach, unhealthy, naming no host or password', async () => {
    const port = await sparePort();
    const t = await start(`redis+sentinel://:sentinel-group-secret@127.0.0.1:${port}/group-name-never-shown`);
    const { check, raw } = await redisCheck(t);
    expect(check).toEqual({ status: 'unhealthy', message: 'Redis unreachable', mode: 'sentinel' });
    for (const secret of ['127.0.0.1', String(port), 'sentinel-group-secret', 'group-name-never-shown']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('shows mode cluster for a Cluster it cannot reach, unhealthy, naming no host', async () => {
    const [a, b] = [await sparePort(), await sparePort()];
    const { check, raw } = await redisCheck(await start(`redis+cluster://127.0.0.1:${a},127.0.0.1:${b}`));
    expect(check).toMatchObject({ status: 'unhealthy', mode: 'cluster' });
    expect(raw).not.toContain(String(a));
    expect(raw).not.toContain('127.0.0.1');
  });
});

// Real Sentinel and Cluster servers are started on the PostgreSQL pass only: the embedded pass needs Node alone.
const withServers = SERVER_DATABASE_URL ? describe : describe.skip;

withServers('A real Redis Cluster and Sentinel group behind REDIS_URL', () => {
  const LIMITS = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_REQUESTS: '3', LOCKOUT_THRESHOLD: '1000' };
  let cluster: OwnRedisCluster;
  let sentinels: OwnSentinelGroup;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    [cluster, sentinels] = await Promise.all([OwnRedisCluster.start(3, 0), OwnSentinelGroup.start(1, 1)]);
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    await cluster?.stop();
    await sentinels?.stop();
  });

  it('counts the auth limit on the Cluster: healthy in mode cluster, its script within one hash slot', async () => {
    const t = await startTestApp({ env: { ...LIMITS, REDIS_URL: cluster.url } });
    apps.push(t);
    const { check } = await redisCheck(t);
    expect(check).toMatchObject({ status: 'healthy', mode: 'cluster' });
    const before = await fallbacks(t);
    expect(await loginsFromOneAddress(t, 5)).toEqual([401, 401, 401, 429, 429]);
    // Counted on the Cluster (a CROSSSLOT refusal would have been answered from memory and counted here).
    expect(await fallbacks(t)).toBe(before);
    const keys = await Promise.all(cluster.nodes.map((node) => redisCli(node.port, '--scan', '--pattern', '*rate:*')));
    expect(keys.join('\n')).toMatch(/:hits/);
  });

  it('counts the auth limit on the Sentinel group: healthy in mode sentinel, on its master', async () => {
    const t = await startTestApp({ env: { ...LIMITS, REDIS_URL: sentinels.url } });
    apps.push(t);
    const { check } = await redisCheck(t);
    expect(check).toMatchObject({ status: 'healthy', mode: 'sentinel' });
    const before = await fallbacks(t);
    expect(await loginsFromOneAddress(t, 5)).toEqual([401, 401, 401, 429, 429]);
    expect(await fallbacks(t)).toBe(before);
    expect(await redisCli(await sentinels.masterPort(), '--scan', '--pattern', '*rate:*')).toMatch(/:hits/);
  });
});
