import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailDigest } from '../src/security/email-digest';
import { LockoutPolicy } from '../src/security/lockout/lockout-policy';
import { LoginFailureRepository } from '../src/security/lockout/login-failure.repository';
import { LockoutService } from '../src/security/lockout/lockout.service';
import { register, uniqueEmail } from './support/accounts';
import { freshClientIp } from './support/client-addresses';
import { createTestDatabase, SERVER_DATABASE_URL, startTestApp, TestApp, TestDatabase } from './support/test-app';
import { get } from './support/http';

type Injected = Awaited<ReturnType<TestApp['app']['inject']>>;

// RATE_LIMIT_ENABLED stays false (the test default): lockout has its own settings.
const LOCKOUT = { LOCKOUT_THRESHOLD: '3', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' };

function login(t: TestApp, email: string, password: string, ip = freshClientIp()): Promise<Injected> {
  return t.app.inject({ method: 'POST', url: '/user/auth/login', remoteAddress: ip, payload: { email, password } });
}

async function failLogins(t: TestApp, email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) expect((await login(t, email, 'Not-The-Password-7')).statusCode).toBe(401);
}

function lockEvents(t: TestApp, email: string): Record<string, unknown>[] {
  return t
    .readLog('security.log')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.event_type === 'account_locked' && entry.email === email);
}

/** What a locked answer says, without its countdown: it must not depend on the account existing. */
function lockedAnswer(res: Injected): Record<string, unknown> {
  const body = res.json() as Record<string, unknown>;
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    detail: String(body.detail).replace(/\d+/g, 'N'),
    title: body.title,
    retryAfter: Number(res.headers['retry-after']) > 0,
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 23 wrong passwords and the right one (in the middle) for one address, all sent at once, spread
 * over the instances; each from an address of its own, as a socket address or X-Forwarded-For.
 */
async function guessAtOnce(
  instances: TestApp[],
  account: { email: string; password: string },
  via: 'socket' | 'forwarded' = 'socket',
  guesses = 24,
): Promise<number[]> {
  return Promise.all(
    Array.from({ length: guesses }, (_, i) => {
      const ip = freshClientIp();
      return instances[i % instances.length].app
        .inject({
          method: 'POST',
          url: '/user/auth/login',
          ...(via === 'socket' ? { remoteAddress: ip } : { headers: { 'x-forwarded-for': ip } }),
          payload: { email: account.email, password: i === guesses >> 1 ? account.password : `Wrong-Guess-${i}-x` },
        })
        .then((res) => res.statusCode);
    }),
  );
}

/** Password verdicts (401 or 200) among the answers; every other answer must be a 429. */
function verdicts(statuses: number[]): number {
  expect(statuses.filter((status) => ![200, 401, 429].includes(status))).toEqual([]);
  return statuses.filter((status) => status === 200 || status === 401).length;
}

// LOCKOUT_THRESHOLD=5 as in production; bcrypt at cost 10 so that guesses overlap as they would there.
const RACE = { LOCKOUT_THRESHOLD: '5', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900', BCRYPT_ROUNDS: '10' };

describe('Account lockout', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: LOCKOUT });
  });
  afterAll(() => t.close());

  it('locks logins for an address after LOCKOUT_THRESHOLD failures, even with the right password', async () => {
    const account = await register(t.app);
    await failLogins(t, account.email, 3);
    const locked = await login(t, account.email, account.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    await pause(100);
    expect(lockEvents(t, account.email)).toEqual([expect.objectContaining({ email: account.email })]);
    const metrics = await get(t.app, '/metrics');
    expect(Number(/^rate_limited_total\{limit="lockout"\} (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThan(0);
  });

  it('answers an unknown address exactly like an existing one', async () => {
    const account = await register(t.app);
    const unknown = uniqueEmail('nobody');
    await failLogins(t, account.email, 3);
    await failLogins(t, unknown, 3);
    const existing = await login(t, account.email, account.password);
    const missing = await login(t, unknown, account.password);
    expect(lockedAnswer(missing)).toEqual(lockedAnswer(existing));
    expect(existing.statusCode).toBe(429);
  });

  it('counts per normalised address, whatever the client address', async () => {
    const account = await register(t.app);
    const [local, domain] = account.email.split('@');
    await failLogins(t, `  ${local.toUpperCase()}@${domain} `, 2);
    await failLogins(t, account.email.toUpperCase(), 1);
    expect((await login(t, account.email, account.password)).statusCode).toBe(429);
  });

  it('forgets earlier failures after a successful login', async () => {
    const account = await register(t.app);
    await failLogins(t, account.email, 2);
    expect((await login(t, account.email, account.password)).statusCode).toBe(200);
    await failLogins(t, account.email, 2);
    expect((await login(t, account.email, account.password)).statusCode).toBe(200);
  });

  it('does not extend a lock for failures during it', async () => {
    const email = uniqueEmail('patient');
    await failLogins(t, email, 3);
    await pause(1100);
    const lockout = t.app.get(LockoutService);
    for (let i = 0; i < 3; i += 1) await lockout.settleFailure(email, freshClientIp());
    const res = await login(t, email, 'Not-The-Password-7');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(899);
    await pause(100);
    expect(lockEvents(t, email)).toHaveLength(1);
  });

  it('counts concurrent failures one by one, in the store the service really uses', async () => {
    const store = t.app.get(LoginFailureRepository);
    const key = emailDigest(uniqueEmail('burst'));
    const policy: LockoutPolicy = { threshold: 10, windowSeconds: 900, durationSeconds: 900 };
    const outcomes = await Promise.all(Array.from({ length: 9 }, () => store.settleFailure(key, 'password', policy)));
    expect(outcomes.every((outcome) => !outcome.lockStarted)).toBe(true);
    expect(await store.lockedFor(key)).toBe(0);
    expect(await store.settleFailure(key, 'password', policy)).toEqual({ lockedForSeconds: 900, lockStarted: true });
  });

  it('lets the address in again when the lock runs out', async () => {
    const store = t.app.get(LoginFailureRepository);
    const key = emailDigest(uniqueEmail('brief'));
    await store.settleFailure(key, 'password', { threshold: 1, windowSeconds: 900, durationSeconds: 1 });
    expect(await store.lockedFor(key)).toBe(1);
    await pause(1100);
    expect(await store.lockedFor(key)).toBe(0);
  });
});

describe('Lockout under concurrent guessing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...RACE, TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('gives at most LOCKOUT_THRESHOLD password verdicts to 24 simultaneous guesses', async () => {
    const account = await register(t.app);
    const statuses = await guessAtOnce([t], account);
    expect(verdicts(statuses)).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(19);
  });

  it('holds the same when the guesses come from 30 client addresses behind a proxy', async () => {
    const account = await register(t.app);
    expect(verdicts(await guessAtOnce([t], account, 'forwarded', 30))).toBeLessThanOrEqual(5);
  });

  it('answers the refused guesses with 429 problem details and Retry-After', async () => {
    const account = await register(t.app);
    await guessAtOnce([t], account);
    const refused = await login(t, account.email, account.password);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('gives the attempt back when the password gets no verdict (unverified address)', async () => {
    const strict = await startTestApp({ env: { ...LOCKOUT, REQUIRE_EMAIL_VERIFICATION: 'true' } });
    try {
      const account = await register(strict.app);
      for (let i = 0; i < 4; i += 1)
        expect((await login(strict, account.email, account.password)).statusCode).toBe(403);
      await failLogins(strict, account.email, 2);
      expect((await login(strict, account.email, account.password)).statusCode).toBe(403);
    } finally {
      await strict.close();
    }
  });
});

// Whether or not the run has REDIS_URL: lockout counters never live anywhere but the database.
describe('Lockout counters in PostgreSQL', () => {
  const env = LOCKOUT;

  if (SERVER_DATABASE_URL) {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      database = await createTestDatabase();
      a = await startTestApp({ env, database });
      b = await startTestApp({ env, database });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await database?.drop();
    });

    it('holds a lock started on one instance on the other', async () => {
      const account = await register(a.app);
      await failLogins(a, account.email, 2);
      await failLogins(b, account.email, 1);
      expect((await login(a, account.email, account.password)).statusCode).toBe(429);
      expect((await login(b, account.email, account.password)).statusCode).toBe(429);
    });

    it('counts concurrent failures from both instances one by one', async () => {
      const key = emailDigest(uniqueEmail('burst'));
      const policy: LockoutPolicy = { threshold: 10, windowSeconds: 900, durationSeconds: 900 };
      const stores = [a, b].map((instance) => instance.app.get(LoginFailureRepository));
      await Promise.all(Array.from({ length: 9 }, (_, i) => stores[i % 2].settleFailure(key, 'password', policy)));
      expect(await stores[0].lockedFor(key)).toBe(0);
      expect(await stores[1].settleFailure(key, 'password', policy)).toEqual({
        lockedForSeconds: 900,
        lockStarted: true,
      });
      expect(await stores[0].lockedFor(key)).toBe(900);
    });

    it('gives at most LOCKOUT_THRESHOLD verdicts to 24 guesses split over both instances', async () => {
      const [x, y] = await Promise.all([
        startTestApp({ env: { ...env, ...RACE }, database }),
        startTestApp({ env: { ...env, ...RACE }, database }),
      ]);
      try {
        const account = await register(x.app);
        expect(verdicts(await guessAtOnce([x, y], account))).toBeLessThanOrEqual(5);
      } finally {
        await x.close();
        await y.close();
      }
    });

    it('keeps them in the login_failures table', async () => {
      const rows = (await a.dataSource.query('SELECT count(*)::int AS "count" FROM "login_failures"')) as {
        count: number;
      }[];
      expect(rows[0].count).toBeGreaterThan(0);
    });
  } else {
    // The embedded database serves one process: the instance that follows (a restart) must see the lock.
    const dataDir = mkdtempSync(join(tmpdir(), 'clickbit-lockout-'));
    const database: TestDatabase = { env: { DATA_DIR: dataDir }, drop: async () => undefined };
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('keeps a lock through a restart of the service', async () => {
      const first = await startTestApp({ env, database });
      const account = await register(first.app);
      await failLogins(first, account.email, 3);
      await first.close();
      const second = await startTestApp({ env, database });
      try {
        expect((await login(second, account.email, account.password)).statusCode).toBe(429);
      } finally {
        await second.close();
      }
    });
  }
});
