import { RetentionService } from '../src/retention/retention.service';
import { cookieValue, Credentials, register, login } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { get, post } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const FAILED_LOGIN = { status: 401, title: 'Unauthorized', detail: 'The email or password is incorrect' };

describe('signing in with a second factor', () => {
  const clock = new ControlledClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(() => t.close());

  /** A registered account with TOTP enabled; the clock sits in a fresh step. */
  async function accountWithTotp(): Promise<Credentials & { userId: string; secret: string; recoveryCodes: string[] }> {
    const credentials = await register(t.app);
    const client = await login(t.app, credentials);
    return { ...credentials, userId: client.userId, ...(await enableTotp(t.app, client, clock)) };
  }

  function expectFailedLogin(res: { statusCode: number; json(): unknown; headers: Record<string, unknown> }): void {
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject(FAILED_LOGIN);
    expect(res.headers['set-cookie']).toBeUndefined();
  }

  it('answers mfaRequired to a right password, with no tokens and no cookies, then signs in with the code', async () => {
    const account = await accountWithTotp();
    const first = await post(t.app, '/user/auth/login', account);
    expect(first.statusCode).toBe(200);
    const body = first.json() as Record<string, unknown>;
    expect(body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'] });
    expect(first.headers['set-cookie']).toBeUndefined();
    const res = await secondStep(t.app, body.mfaToken as string, codeFor(account.secret, clock));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer', user: { id: account.userId, mfaEnabled: true } });
    expect(cookieValue(res, 'user_session')).toBeTruthy();
    expect(cookieValue(res, 'user_refresh')).toBeTruthy();
    const me = await get(t.app, '/user/me', {
      authorization: `Bearer ${(res.json() as { accessToken: string }).accessToken}`,
    });
    expect(me.json()).toMatchObject({ id: account.userId, mfaEnabled: true });
    // The token is spent by its successful use.
    expectFailedLogin(await secondStep(t.app, body.mfaToken as string, codeFor(account.secret, clock, 1)));
    expect(await t.waitForLog('security.log', /mfa_succeeded/)).toContain(account.userId);
  });

  it('accepts a wrong password exactly as before: 401, no mfaToken', async () => {
    const account = await accountWithTotp();
    const res = await post(t.app, '/user/auth/login', { email: account.email, password: 'Wrong-Pass-123' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).not.toHaveProperty('mfaToken');
  });

  it('never accepts a TOTP code twice, not even with a fresh mfaToken', async () => {
    const account = await accountWithTotp();
    const code = codeFor(account.secret, clock);
    expect((await secondStep(t.app, await passwordStep(t.app, account), code)).statusCode).toBe(200);
    expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), code));
    // Nor the code that enabled TOTP a step ago.
    const enabling = codeFor(account.secret, clock, -1);
    expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), enabling));
  });

  it('accepts a code one step either side of now and refuses two steps away', async () => {
    const account = await accountWithTotp();
    for (const steps of [2, -2]) {
      expectFailedLogin(
        await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock, steps)),
      );
    }
    expect(
      (await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock, 1))).statusCode,
    ).toBe(200);
    // Now + 1 was used: three steps on, now - 1 is a step never used.
    for (let i = 0; i < 3; i += 1) nextMidStep(clock);
    expect(
      (await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock, -1))).statusCode,
    ).toBe(200);
  });

  it('accepts each recovery code once, however it is typed', async () => {
    const account = await accountWithTotp();
    const [code] = account.recoveryCodes;
    const typed = ` ${code.toUpperCase().replace(/-/g, ' ')} `;
    expect((await secondStep(t.app, await passwordStep(t.app, account), typed)).statusCode).toBe(200);
    expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), code));
    expect((await secondStep(t.app, await passwordStep(t.app, account), account.recoveryCodes[1])).statusCode).toBe(
      200,
    );
  });

  it('lets an mfaToken expire after 5 minutes', async () => {
    const account = await accountWithTotp();
    const token = await passwordStep(t.app, account);
    clock.advance(5 * 60_000 + 1000);
    expectFailedLogin(await secondStep(t.app, token, codeFor(account.secret, clock)));
    expectFailedLogin(await secondStep(t.app, 'not-a-token-anyone-issued', codeFor(account.secret, clock)));
  });

  it('kills an mfaToken after 3 wrong codes, even for the right one after', async () => {
    const account = await accountWithTotp();
    const token = await passwordStep(t.app, account);
    for (let i = 0; i < 3; i += 1) expectFailedLogin(await secondStep(t.app, token, '000000'));
    expectFailedLogin(await secondStep(t.app, token, codeFor(account.secret, clock)));
    expect(
      (await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock))).statusCode,
    ).toBe(200);
  });

  it('counts wrong codes toward the lockout, and a right password alone does not reset the count', async () => {
    const account = await accountWithTotp();
    for (let i = 0; i < 3; i += 1)
      expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), '000000'));
    // Three failures so far; the right password answers mfaRequired and leaves them counted.
    const token = await passwordStep(t.app, account);
    expectFailedLogin(await secondStep(t.app, token, '111111'));
    expectFailedLogin(await secondStep(t.app, token, '222222'));
    // The fifth wrong code locks sign-in: the right password is refused too, and so is the right code.
    const locked = await post(t.app, '/user/auth/login', account);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const lockedCode = await secondStep(t.app, token, codeFor(account.secret, clock));
    expect(lockedCode.statusCode).toBe(429);
    expect(Number(lockedCode.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('resets the count once the second step completes', async () => {
    const account = await accountWithTotp();
    for (let i = 0; i < 4; i += 1)
      expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), '000000'));
    expect(
      (await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock))).statusCode,
    ).toBe(200);
    for (let i = 0; i < 4; i += 1)
      expectFailedLogin(await secondStep(t.app, await passwordStep(t.app, account), '000000'));
    expect((await post(t.app, '/user/auth/login', account)).statusCode).toBe(200);
  });

  it('gives at most the lockout threshold of 30 parallel guesses a verdict', async () => {
    const account = await accountWithTotp();
    const tokens: string[] = [];
    for (let i = 0; i < 30; i += 1) tokens.push(await passwordStep(t.app, account));
    const statuses = await Promise.all(
      tokens.map((token) => secondStep(t.app, token, '000000').then((res) => res.statusCode)),
    );
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(25);
    expect((await post(t.app, '/user/auth/login', account)).statusCode).toBe(429);
  });

  it('writes no secret, code or mfaToken to any log, and logs the failure', async () => {
    const account = await accountWithTotp();
    const token = await passwordStep(t.app, account);
    expectFailedLogin(await secondStep(t.app, token, '000000'));
    const code = codeFor(account.secret, clock);
    expect((await secondStep(t.app, token, code)).statusCode).toBe(200);
    const security = await t.waitForLog('security.log', new RegExp(`mfa_succeeded.*${account.userId}`));
    expect(security).toMatch(new RegExp(`mfa_failed.*${account.userId}.*wrong_code`));
    for (const file of ['security.log', 'app.log', 'error.log'] as const) {
      const text = t.readLog(file);
      for (const secret of [account.secret, token, account.recoveryCodes[0]]) expect(text).not.toContain(secret);
    }
  });

  it('leaves finished sign-in tokens and used steps to the retention job', async () => {
    const account = await accountWithTotp();
    await secondStep(t.app, await passwordStep(t.app, account), codeFor(account.secret, clock));
    const count = async (table: string): Promise<number> =>
      (
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [account.userId])) as {
          n: number;
        }[]
      )[0].n;
    expect(await count('mfa_login_tokens')).toBe(1);
    clock.advance(25 * 3_600_000);
    const removed = await t.app.get(RetentionService).purgeNow();
    expect(removed.mfaLoginTokens).toBeGreaterThanOrEqual(1);
    expect(await count('mfa_login_tokens')).toBe(0);
    expect(await count('used_totp_steps')).toBe(0);
  });
});
