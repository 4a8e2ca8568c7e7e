import { login, register } from './support/accounts';
import { OwnRedisServer } from './support/own-redis-server';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, passwordStep, secondStep } from './support/mfa';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL, TestApp } from './support/test-app';
import { startTwoInstances, TwoInstances } from './support/two-instances';

// Two instances need one database they both reach: a PostgreSQL server (the embedded one is per process).
const onServer = SERVER_DATABASE_URL ? describe : describe.skip;

jest.setTimeout(120_000);

/** The same account, two instances behind one load balancer: a code used on one is spent on both. */
function replayAcrossInstances(redisUrl: () => string | undefined): void {
  const clock = new ControlledClock();
  let a: TestApp;
  let b: TestApp;
  let pair: TwoInstances;

  beforeAll(async () => {
    pair = await startTwoInstances({ env: { REDIS_URL: redisUrl() ?? '' }, clock });
    ({ a, b } = pair);
  });
  afterAll(() => pair?.close());

  it('refuses on one instance a TOTP code accepted on the other', async () => {
    const credentials = await register(a.app);
    const { secret } = await enableTotp(a.app, await login(a.app, credentials), clock);
    const code = codeFor(secret, clock);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), code)).statusCode).toBe(200);
    const replay = await secondStep(b.app, await passwordStep(b.app, credentials), code);
    expect(replay.statusCode).toBe(401);
    // And the other way round, with the next step's code.
    const next = codeFor(secret, clock, 1);
    expect((await secondStep(b.app, await passwordStep(b.app, credentials), next)).statusCode).toBe(200);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), next)).statusCode).toBe(401);
    // Where the used steps live: the used_totp_steps table, with or without Redis.
    const rows = (await a.dataSource.query(
      `SELECT count(*)::int AS n FROM used_totp_steps s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
      [credentials.email],
    )) as { n: number }[];
    expect(rows[0].n).toBe(3);
  });

  it('accepts one of two simultaneous uses of a code, one on each instance', async () => {
    const credentials = await register(a.app);
    const { secret } = await enableTotp(a.app, await login(a.app, credentials), clock);
    const code = codeFor(secret, clock);
    const tokens = [await passwordStep(a.app, credentials), await passwordStep(b.app, credentials)];
    const statuses = await Promise.all([secondStep(a.app, tokens[0], code), secondStep(b.app, tokens[1], code)]);
    expect(statuses.map((res) => res.statusCode).sort()).toEqual([200, 401]);
  });
}

onServer('TOTP codes once across two instances sharing PostgreSQL and Redis', () => {
  if (SERVER_REDIS_URL) replayAcrossInstances(() => SERVER_REDIS_URL);
  else it.todo('needs REDIS_URL');
});

onServer('TOTP codes once across two instances sharing PostgreSQL without Redis', () => {
  replayAcrossInstances(() => undefined);
});

onServer('TOTP codes once while Redis is down: the PostgreSQL table takes over, never memory', () => {
  let own: OwnRedisServer;
  let a: TestApp;
  let b: TestApp;
  let pair: TwoInstances;
  const clock = new ControlledClock();

  beforeAll(async () => {
    own = await OwnRedisServer.start();
    pair = await startTwoInstances({ env: { REDIS_URL: own.url() }, clock });
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
    await own?.stop();
  });

  it('refuses on the other instance a code used while Redis does not answer', async () => {
    const credentials = await register(a.app);
    const { secret } = await enableTotp(a.app, await login(a.app, credentials), clock);
    await own.stop();
    const code = codeFor(secret, clock);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), code)).statusCode).toBe(200);
    expect((await secondStep(b.app, await passwordStep(b.app, credentials), code)).statusCode).toBe(401);
    expect((await secondStep(a.app, await passwordStep(a.app, credentials), code)).statusCode).toBe(401);
  });
});
