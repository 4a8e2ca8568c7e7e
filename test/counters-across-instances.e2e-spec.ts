import { RedisConnection } from '../src/security/redis/redis-connection';
import { Credentials, login, register, uniqueEmail } from './support/accounts';
import { freshClientIp } from './support/client-addresses';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, passwordStep, secondStep } from './support/mfa';
import { post } from './support/http';
import { OwnRedisServer } from './support/own-redis-server';
import { SilentRedis } from './support/silent-redis';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL, TestApp } from './support/test-app';
import { startTwoInstances, TwoInstances } from './support/two-instances';

// Two instances need one database they both reach: a PostgreSQL server (the embedded one is per process).
const onServer = SERVER_DATABASE_URL ? describe : describe.skip;

const LOCKOUT = { LOCKOUT_THRESHOLD: '5', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' };

jest.setTimeout(120_000);

/**
 * Behind one load balancer: A reaches Redis, B has a Redis that accepts connections and never answers.
 * What must hold on both is kept where both always reach it: the database.
 */
onServer('Two instances on one database, one of them cut off from Redis', () => {
  const clock = new ControlledClock();
  let own: OwnRedisServer | undefined;
  let silent: SilentRedis;
  let pair: TwoInstances;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    if (!SERVER_REDIS_URL) own = await OwnRedisServer.start();
    silent = await SilentRedis.start();
    pair = await startTwoInstances({
      env: { ...LOCKOUT, REDIS_URL: SERVER_REDIS_URL ?? own?.url() ?? '' },
      envB: { ...LOCKOUT, REDIS_URL: silent.url() },
      clock,
    });
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await silent?.stop();
    await own?.stop();
  });

  function failLogin(instance: TestApp, email: string): Promise<number> {
    return instance.app
      .inject({
        method: 'POST',
        url: '/user/auth/login',
        remoteAddress: freshClientIp(),
        payload: { email, password: 'Not-The-Password-7' },
      })
      .then((res) => res.statusCode);
  }

  it('runs as described: A shares Redis, B answers from its own memory', () => {
    expect(a.app.get(RedisConnection).state).toBe('up');
    expect(b.app.get(RedisConnection).state).toBe('down');
  });

  it('refuses on B a TOTP code accepted on A, and the other way round', async () => {
    const credentials = await register(a.app);
    const { secret } = await enableTotp(a.app, await login(a.app, credentials), clock);
    const code = codeFor(secret, clock);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), code)).statusCode).toBe(200);
    expect((await secondStep(b.app, await passwordStep(b.app, credentials), code)).statusCode).toBe(401);
    const next = codeFor(secret, clock, 1);
    expect((await secondStep(b.app, await passwordStep(b.app, credentials), next)).statusCode).toBe(200);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), next)).statusCode).toBe(401);
  });

  it('gives LOCKOUT_THRESHOLD password verdicts in all, not per instance', async () => {
    const email = uniqueEmail('split-lock');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push(await failLogin(i % 2 ? b : a, email));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  it('gives at most LOCKOUT_THRESHOLD password verdicts to 24 guesses split over both at once', async () => {
    const email = uniqueEmail('split-race');
    const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => failLogin(i % 2 ? a : b, email)));
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
  });

  it('gives LOCKOUT_THRESHOLD code verdicts in all, not per instance', async () => {
    const credentials: Credentials = await register(a.app);
    const { secret } = await enableTotp(a.app, await login(a.app, credentials), clock);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const instance = i % 2 ? b : a;
      const first = await post(instance.app, '/user/auth/login', credentials);
      if (first.statusCode !== 200) {
        statuses.push(first.statusCode);
        continue;
      }
      const { mfaToken } = first.json() as { mfaToken: string };
      statuses.push((await secondStep(instance.app, mfaToken, codeFor(secret, clock, -10))).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });
});
