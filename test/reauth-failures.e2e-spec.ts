import { LightMyRequestResponse } from 'fastify';
import { bearer, login, register, SignedInClient } from './support/accounts';
import { auditRowsFor } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep } from './support/mfa';
import { del, post } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

// LOCKOUT_THRESHOLD as in production; RATE_LIMIT_ENABLED stays false (the test default), as in the review.
const LOCKOUT = { LOCKOUT_THRESHOLD: '5', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' };
const WRONG_PASSWORD = 'Not-The-Password-7';
const NEW_PASSWORD = 'An0ther-Long-Passphrase';

jest.setTimeout(60_000);

interface PasswordRoute {
  route: string;
  needsTotp: boolean;
  send(t: TestApp, client: SignedInClient, password: string): Promise<LightMyRequestResponse>;
}

const PASSWORD_ROUTES: PasswordRoute[] = [
  {
    route: 'POST /user/me/password',
    needsTotp: false,
    send: (t, client, password) =>
      post(
        t.app,
        '/user/me/password',
        { currentPassword: password, newPassword: NEW_PASSWORD },
        bearer(client.accessToken),
      ),
  },
  {
    route: 'DELETE /user/me',
    needsTotp: false,
    send: (t, client, password) => del(t.app, '/user/me', bearer(client.accessToken), { password }),
  },
  {
    route: 'POST /user/mfa/totp/disable',
    needsTotp: true,
    send: (t, client, password) =>
      post(t.app, '/user/mfa/totp/disable', { password, code: '123456' }, bearer(client.accessToken)),
  },
  {
    route: 'POST /user/mfa/recovery-codes',
    needsTotp: true,
    send: (t, client, password) => post(t.app, '/user/mfa/recovery-codes', { password }, bearer(client.accessToken)),
  },
];

describe('Passwords and codes checked by account routes count toward the lockout', () => {
  let t: TestApp;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ env: LOCKOUT, clock });
  });
  afterAll(() => t.close());

  async function signedIn(withTotp: boolean): Promise<{ client: SignedInClient; secret: string }> {
    const client = await login(t.app, await register(t.app));
    if (!withTotp) return { client, secret: '' };
    const { secret } = await enableTotp(t.app, client, clock);
    return { client, secret };
  }

  function loginStatus(client: SignedInClient): Promise<number> {
    return post(t.app, '/user/auth/login', { email: client.email, password: client.password }).then(
      (res) => res.statusCode,
    );
  }

  async function reauthFailures(userId: string): Promise<unknown[]> {
    return (await auditRowsFor(t.dataSource, userId, 'reauth.failed')).map((row) => ({
      outcome: row.outcome,
      actorId: row.actorId,
      targetUserId: row.targetUserId,
      details: row.details,
    }));
  }

  for (const { route, needsTotp, send } of PASSWORD_ROUTES) {
    it(`${route}: five wrong passwords get a verdict, then 429 like login, each audited`, async () => {
      const { client } = await signedIn(needsTotp);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await send(t, client, WRONG_PASSWORD)).statusCode);
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
      const locked = await send(t, client, client.password);
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(890);
      expect(await loginStatus(client)).toBe(429);
      const failure = { outcome: 'failure', actorId: client.userId, targetUserId: client.userId };
      expect(await reauthFailures(client.userId)).toEqual(
        Array.from({ length: 5 }, () => ({ ...failure, details: { route, method: 'password' } })),
      );
      expect(await auditRowsFor(t.dataSource, client.userId, 'account.locked')).toHaveLength(1);
    });
  }

  it('counts wrong codes at totp/disable on the code counter, naming totp or recovery_code', async () => {
    const { client, secret } = await signedIn(true);
    const disable = (code: string): Promise<LightMyRequestResponse> =>
      post(t.app, '/user/mfa/totp/disable', { password: client.password, code }, bearer(client.accessToken));
    const statuses: number[] = [];
    for (const code of ['000000', 'aaaa-bbbb-cccc-dddd', codeFor(secret, clock, -10), 'zzzz-zzzz-zzzz-zzzz']) {
      statuses.push((await disable(code)).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect((await reauthFailures(client.userId)).map((row) => (row as { details: unknown }).details)).toEqual([
      { route: 'POST /user/mfa/totp/disable', method: 'totp' },
      { route: 'POST /user/mfa/totp/disable', method: 'recovery_code' },
      { route: 'POST /user/mfa/totp/disable', method: 'totp' },
      { route: 'POST /user/mfa/totp/disable', method: 'recovery_code' },
    ]);
    // Four codes wrong, the password right each time: the password counter is untouched, sign-in open.
    expect(await loginStatus(client)).toBe(200);
    expect((await disable('111111')).statusCode).toBe(400);
    // The fifth wrong code locks sign-in: the right password and the right code are refused alike.
    expect(await loginStatus(client)).toBe(429);
    nextMidStep(clock);
    expect((await disable(codeFor(secret, clock))).statusCode).toBe(429);
  });

  it('gives a right password its attempt back: four wrong, then right ones, never lock', async () => {
    const { client } = await signedIn(true);
    const regenerate = (password: string): Promise<LightMyRequestResponse> =>
      post(t.app, '/user/mfa/recovery-codes', { password }, bearer(client.accessToken));
    for (let i = 0; i < 4; i += 1) expect((await regenerate(WRONG_PASSWORD)).statusCode).toBe(400);
    for (let i = 0; i < 3; i += 1) expect((await regenerate(client.password)).statusCode).toBe(200);
  });

  it('leaves a wrong code at totp/enable a plain 400 that counts nothing', async () => {
    const { client } = await signedIn(false);
    const setup = await post(t.app, '/user/mfa/totp/setup', undefined, bearer(client.accessToken));
    const { secret } = setup.json() as { secret: string };
    for (let i = 0; i < 8; i += 1) {
      const res = await post(
        t.app,
        '/user/mfa/totp/enable',
        { code: codeFor(secret, clock, -10) },
        bearer(client.accessToken),
      );
      expect(res.statusCode).toBe(400);
    }
    expect(await reauthFailures(client.userId)).toEqual([]);
    expect(await loginStatus(client)).toBe(200);
  });
});
