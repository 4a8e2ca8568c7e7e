import { OneTimeTokenRepository } from '../src/one-time-tokens/one-time-token.repository';
import { AfterReply } from '../src/common/after-reply';
import {
  bearer,
  login,
  register,
  registerAndLogin,
  STRONG_PASSWORD,
  uniqueEmail,
  signedInAdmin,
} from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { startTestApp, TestApp } from './support/test-app';
import { mailPart, TestSmtpServer, tokenFromMail } from './support/test-smtp-server';
import { get, patch, post } from './support/http';

const NEW_PASSWORD = 'An0ther-Long-Passphrase';

describe('Password reset over SMTP', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const clock = new ControlledClock();

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, APP_URL: 'http://app.example.com', APP_NAME: 'Acme' },
      clock,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    clock.reset();
  });

  function forgot(email: string): ReturnType<TestApp['app']['inject']> {
    return post(t.app, '/user/auth/forgot-password', { email });
  }

  function reset(token: string, newPassword: string): ReturnType<TestApp['app']['inject']> {
    return post(t.app, '/user/auth/reset-password', new URLSearchParams({ token, newPassword }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
  }

  /** Asks for a reset link and reads its token out of the mail that arrives. */
  async function resetToken(email: string): Promise<string> {
    const containing = '/reset-password?token=';
    const before = smtp.to(email, containing).length;
    expect((await forgot(email)).statusCode).toBe(202);
    const mails = await smtp.waitFor(email, { count: before + 1, containing });
    return tokenFromMail(mails[mails.length - 1], '/reset-password');
  }

  it('resets the password: every old session ends, the new password works, the token is spent', async () => {
    const client = await registerAndLogin(t.app);
    const other = await login(t.app, client);
    const token = await resetToken(client.email);
    const [mail] = smtp.to(client.email, '/reset-password');
    expect(mail.raw).toMatch(/^Subject: Reset your Acme password/m);
    expect(mailPart(mail, 'text/html')).toContain(`<a href="http://app.example.com/reset-password?token=${token}">`);

    const done = await reset(token, NEW_PASSWORD);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ id: client.userId, email: client.email, emailVerified: true });

    for (const session of [client, other]) {
      const me = await get(t.app, '/user/me', bearer(session.accessToken));
      expect(me.statusCode).toBe(401);
      const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: session.refreshToken });
      expect(refreshed.statusCode).toBe(401);
    }
    const oldPassword = await post(t.app, '/user/auth/login', { email: client.email, password: STRONG_PASSWORD });
    expect(oldPassword.statusCode).toBe(401);
    await login(t.app, { email: client.email, password: NEW_PASSWORD });

    const again = await reset(token, 'Yet-an0ther-Passphrase');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ errors: [{ field: 'token' }] });

    await t.waitForLog('security.log', /"event_type":"password_reset"/);
    expect(t.readLog('security.log')).toMatch(/"event_type":"password_reset_requested"/);
    for (const file of ['app.log', 'security.log'] as const) expect(t.readLog(file)).not.toContain(token);
  });

  it('answers an unknown address with the same 202 body and sends nothing', async () => {
    const known = await register(t.app);
    const unknownEmail = uniqueEmail('nobody');
    const forKnown = await forgot(known.email);
    const forUnknown = await forgot(unknownEmail);
    expect(forKnown.statusCode).toBe(202);
    expect(forUnknown.statusCode).toBe(202);
    expect(forUnknown.body).toBe(forKnown.body);
    expect(forUnknown.headers['content-type']).toBe(forKnown.headers['content-type']);
    await smtp.waitFor(known.email, { containing: '/reset-password' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(smtp.to(unknownEmail)).toHaveLength(0);
  });

  /**
   * Back-to-back pairs of forgot-password requests for a registered and an unknown address, the order
   * alternating, each request timed once the work of the previous one (after its reply) is done.
   */
  async function forgotPairs(knownEmail: string, pairs: number): Promise<{ knownSlower: number; difference: number }> {
    const afterReply = t.app.get(AfterReply);
    const timed = async (email: string): Promise<number> => {
      await afterReply.settled();
      const started = process.hrtime.bigint();
      expect((await forgot(email)).statusCode).toBe(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    let knownSlower = 0;
    const differences: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      const knownFirst = pair % 2 === 0;
      const first = await timed(knownFirst ? knownEmail : uniqueEmail('nobody'));
      const second = await timed(knownFirst ? uniqueEmail('nobody') : knownEmail);
      const difference = knownFirst ? first - second : second - first;
      if (difference > 0) knownSlower += 1;
      differences.push(difference);
    }
    await afterReply.settled();
    return { knownSlower, difference: [...differences].sort((x, y) => x - y)[pairs >> 1] };
  }

  it('takes about the same time for an unknown address as for a known one', async () => {
    const known = await register(t.app);
    await smtp.waitFor(known.email);
    const { knownSlower, difference } = await forgotPairs(known.email, 30);
    process.stdout.write(
      `forgot-password: known address slower in ${knownSlower} of 30 pairs, median difference ${difference.toFixed(1)} ms\n`,
    );
    // Both answers do the same work, so each pair is a coin toss: outside 5..25 of 30 has a chance of
    // 6 in 100,000 (binomial); a path that does more work before answering lands near 30.
    expect(knownSlower).toBeGreaterThanOrEqual(5);
    expect(knownSlower).toBeLessThanOrEqual(25);
  });

  it('answers before the work that only a registered address gets, however slow it is', async () => {
    const known = await register(t.app);
    await smtp.waitFor(known.email);
    // Issuing the token (only a registered address gets one) made half a second slower.
    const tokens = t.app.get(OneTimeTokenRepository);
    const issue = tokens.issue.bind(tokens);
    jest.spyOn(tokens, 'issue').mockImplementation(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return issue(...args);
    });
    const { difference } = await forgotPairs(known.email, 6);
    // Answering after that work shows a 500 ms difference; answering first, noise of a few ms.
    expect(Math.abs(difference)).toBeLessThan(50);
    expect(smtp.to(known.email, '/reset-password').length).toBeGreaterThanOrEqual(1);
  });

  it('clears the lockout of the address once its password is reset', async () => {
    const account = await register(t.app);
    const attempt = (password: string): ReturnType<TestApp['app']['inject']> =>
      post(t.app, '/user/auth/login', { email: account.email, password });
    for (let i = 0; i < 5; i += 1) expect((await attempt('Not-The-Password-7')).statusCode).toBe(401);
    expect((await attempt(account.password)).statusCode).toBe(429);
    expect((await reset(await resetToken(account.email), NEW_PASSWORD)).statusCode).toBe(200);
    expect((await attempt(NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses an expired token (the clock moved past 30 minutes)', async () => {
    const account = await register(t.app);
    const token = await resetToken(account.email);
    clock.advance(29 * 60_000);
    const weakStillInTime = await reset(token, 'password');
    expect(weakStillInTime.statusCode).toBe(400);
    expect(weakStillInTime.json()).toMatchObject({ errors: [{ field: 'newPassword' }] });
    clock.advance(2 * 60_000);
    const expired = await reset(token, NEW_PASSWORD);
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ errors: [{ field: 'token' }] });
  });

  it('refuses a weak new password with 400 and leaves the token valid', async () => {
    const account = await register(t.app);
    const token = await resetToken(account.email);
    for (const weak of ['password', 'short', account.email]) {
      const refused = await reset(token, weak);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ errors: [{ field: 'newPassword' }] });
    }
    await login(t.app, account);
    expect((await reset(token, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('voids the older link when a newer one is mailed', async () => {
    const account = await register(t.app);
    const older = await resetToken(account.email);
    const newer = await resetToken(account.email);
    expect(newer).not.toBe(older);
    expect((await reset(older, NEW_PASSWORD)).statusCode).toBe(400);
    expect((await reset(newer, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('voids every mailed link when the password is changed', async () => {
    const email = uniqueEmail('changed');
    await register(t.app, { email });
    const verification = tokenFromMail((await smtp.waitFor(email))[0], '/verify-email');
    const client = await login(t.app, { email, password: STRONG_PASSWORD });
    const token = await resetToken(email);
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
      bearer(client.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    expect((await reset(token, 'Yet-an0ther-Passphrase')).statusCode).toBe(400);
    const verify = await post(t.app, '/user/auth/verify-email', { token: verification });
    expect(verify.statusCode).toBe(400);
    await login(t.app, { email, password: NEW_PASSWORD });
  });

  it('voids the verification link when the password is reset', async () => {
    const email = uniqueEmail('reset-twice');
    await register(t.app, { email });
    const verification = tokenFromMail((await smtp.waitFor(email))[0], '/verify-email');
    expect((await reset(await resetToken(email), NEW_PASSWORD)).statusCode).toBe(200);
    const verify = await post(t.app, '/user/auth/verify-email', { token: verification });
    expect(verify.statusCode).toBe(400);
  });

  it('voids a reset link mailed before the account was deactivated, even once reactivated', async () => {
    const admin = await signedInAdmin(t.app);
    const account = await register(t.app);
    const token = await resetToken(account.email);
    for (const isActive of [false, true]) {
      const res = await patch(t.app, `/admin/users/${account.id}`, { isActive }, bearer(admin.accessToken));
      expect(res.statusCode).toBe(200);
    }
    expect((await reset(token, NEW_PASSWORD)).statusCode).toBe(400);
    await login(t.app, account);
    // A link asked for after the reactivation works.
    expect((await reset(await resetToken(account.email), NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('does not take a verification token for a reset', async () => {
    const email = uniqueEmail('crossed');
    await register(t.app, { email });
    const [verification] = await smtp.waitFor(email);
    expect((await reset(tokenFromMail(verification, '/verify-email'), NEW_PASSWORD)).statusCode).toBe(400);
  });
});

describe('Per-address limit on the mail routes', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_EMAIL_REQUESTS: '2',
        RATE_LIMIT_AUTH_REQUESTS: '1000',
        RATE_LIMIT_REQUESTS: '1000',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('limits forgot-password per address, whether or not an account has it', async () => {
    const known = await register(t.app);
    for (const email of [known.email, uniqueEmail('nobody')]) {
      for (let i = 0; i < 2; i += 1) {
        const res = await post(t.app, '/user/auth/forgot-password', { email });
        expect(res.statusCode).toBe(202);
      }
      const limited = await post(t.app, '/user/auth/forgot-password', { email: email.toUpperCase() });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another address still has its own budget.
    const other = await register(t.app);
    const res = await post(t.app, '/user/auth/forgot-password', { email: other.email });
    expect(res.statusCode).toBe(202);
  });

  it('limits verify-email/request per address', async () => {
    const client = await registerAndLogin(t.app);
    const request = (): ReturnType<TestApp['app']['inject']> =>
      post(t.app, '/user/auth/verify-email/request', undefined, bearer(client.accessToken));
    expect((await request()).statusCode).toBe(202);
    expect((await request()).statusCode).toBe(202);
    const limited = await request();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // The registration mail plus the two requested ones, no more.
    await smtp.waitFor(client.email, { count: 3 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(smtp.to(client.email)).toHaveLength(3);
  });
});
