import {
  bearer,
  login,
  register,
  registerAndLogin,
  signedInAdmin,
  SignedInClient,
  STRONG_PASSWORD,
} from './support/accounts';
import { asAdmin, ban, expectProblemCode, me } from './support/admin-tools';
import { auditRowsFor } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { waitForMail } from './support/mail-log';
import { codeFor, enableTotp, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { post } from './support/http';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { expectReauthenticationRequired, REAUTH_MAX_AGE_MS } from './support/step-up';
import { startTestApp, TestApp } from './support/test-app';

const HOUR_MS = 3_600_000;

describe('bans', () => {
  let t: TestApp;
  let admin: SignedInClient;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ clock, env: PASSKEY_TEST_ENV });
    admin = await signedInAdmin(t.app);
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  const passwordLogin = (client: { email: string; password: string }) =>
    post(t.app, '/user/auth/login', { email: client.email, password: client.password });

  it('refuses every way of signing in with 403 account_banned once the credential is verified, until the end passes', async () => {
    const user = await registerAndLogin(t.app);
    const { secret } = await enableTotp(t.app, user, clock);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const calls = passkeyCalls(t.app);
    await calls.addPasskey(user, authenticator);
    const pendingMfaToken = await passwordStep(t.app, user);
    const until = new Date(clock.now().getTime() + HOUR_MS).toISOString();

    const banned = await ban(t.app, admin, user.userId, { reason: 'Repeated spam after two warnings', until });
    expect(banned.statusCode).toBe(200);
    expect(banned.json()).toMatchObject({
      id: user.userId,
      bannedUntil: until,
      banReason: 'Repeated spam after two warnings',
    });
    const view = await asAdmin(t.app, admin, 'GET', `/admin/users/${user.userId}`);
    expect(view.json()).toMatchObject({ bannedUntil: until, banReason: 'Repeated spam after two warnings' });

    // A wrong password says nothing of the ban, and counts toward the lockout.
    const wrong = await post(t.app, '/user/auth/login', { email: user.email, password: 'Not-the-password-1' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).not.toHaveProperty('until');
    expect(await auditRowsFor(t.dataSource, user.userId, 'login.failed')).toHaveLength(1);

    const byPassword = await passwordLogin(user);
    expectProblemCode(byPassword, 'account_banned', 'password');
    expect(byPassword.json()).toMatchObject({ until });
    expect(byPassword.headers['set-cookie']).toBeUndefined();
    // The mfaToken pending when the ban came died with the sessions.
    expect((await secondStep(t.app, pendingMfaToken, codeFor(secret, clock))).statusCode).toBe(401);
    const byPasskey = await calls.signIn(authenticator);
    expectProblemCode(byPasskey, 'account_banned', 'passkey');
    expect(byPasskey.json()).toMatchObject({ until });

    clock.advance(HOUR_MS + 1000);
    nextMidStep(clock);
    const mfaToken = await passwordStep(t.app, user);
    expect((await secondStep(t.app, mfaToken, codeFor(secret, clock))).statusCode).toBe(200);
    expect((await calls.signIn(authenticator)).statusCode).toBe(200);
    const mail = await waitForMail(t.logDir, (m) => m.to === user.email && m.event === 'account_banned');
    expect(mail.text).toContain('Repeated spam after two warnings');
    expect(mail.text).toContain('By: an administrator');
    expect(mail.text).not.toContain('127.0.0.1');
  });

  it('holds a ban without an end until an administrator lifts it, recording both', async () => {
    const user = await register(t.app);
    const banned = await ban(t.app, admin, user.id, { reason: 'Chargeback under review' });
    expect(banned.json()).toMatchObject({ bannedUntil: null, banReason: 'Chargeback under review' });
    clock.advance(20 * 24 * HOUR_MS);
    const refused = await passwordLogin(user);
    expectProblemCode(refused, 'account_banned');
    expect(refused.json()).toMatchObject({ until: null });

    const lifted = await asAdmin(t.app, admin, 'DELETE', `/admin/users/${user.id}/ban`);
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ id: user.id, bannedUntil: null, banReason: null });
    expect((await passwordLogin(user)).statusCode).toBe(200);
    const [bannedRow] = await auditRowsFor(t.dataSource, user.id, 'admin.user_banned');
    expect(bannedRow).toMatchObject({
      actorId: admin.userId,
      targetUserId: user.id,
      details: { reason: 'Chargeback under review', until: null },
    });
    expect(await auditRowsFor(t.dataSource, user.id, 'admin.user_unbanned')).toEqual([
      expect.objectContaining({ actorId: admin.userId, targetUserId: user.id }),
    ]);
    // Lifting again changes nothing and records nothing.
    expect((await asAdmin(t.app, admin, 'DELETE', `/admin/users/${user.id}/ban`)).statusCode).toBe(200);
    expect(await auditRowsFor(t.dataSource, user.id, 'admin.user_unbanned')).toHaveLength(1);
  });

  it('ends every live session at once: access tokens and refresh tokens answer 401', async () => {
    const credentials = await register(t.app);
    const first = await login(t.app, credentials);
    const second = await login(t.app, credentials);
    expect((await ban(t.app, admin, first.userId, { reason: 'Account takeover suspected' })).statusCode).toBe(200);
    for (const client of [first, second]) {
      expect((await me(t.app, client.accessToken)).statusCode).toBe(401);
      const refresh = await post(t.app, '/user/auth/refresh', { refreshToken: client.refreshToken });
      expect(refresh.statusCode).toBe(401);
    }
  });

  it('refuses a future-less end, and a malformed reason or date, with 400', async () => {
    const user = await register(t.app);
    const past = new Date(clock.now().getTime() - 1000).toISOString();
    for (const body of [
      { reason: 'x', until: past },
      { reason: '' },
      { reason: 'x'.repeat(501) },
      { reason: 'x', until: '2099-01-01' },
    ]) {
      expect((await ban(t.app, admin, user.id, body)).statusCode).toBe(400);
    }
    expect((await ban(t.app, admin, '5f0b8a4e-2c1d-4e3f-8a9b-0c1d2e3f4a5b', { reason: 'x' })).statusCode).toBe(404);
  });

  it('never bans the last active admin, and a banned admin does not count as one', async () => {
    const other = await signedInAdmin(t.app);
    expect((await ban(t.app, admin, other.userId, { reason: 'Left the company' })).statusCode).toBe(200);
    // Every other admin of this app is banned or demoted now: the caller is the last active one.
    const others = (await t.dataSource.query(
      `SELECT id FROM users WHERE role = 'admin' AND id <> $1 AND ban_reason IS NULL`,
      [admin.userId],
    )) as { id: string }[];
    for (const { id } of others) await ban(t.app, admin, id, { reason: 'Tidying up' });
    const self = await ban(t.app, admin, admin.userId, { reason: 'Testing' });
    expect(self.statusCode).toBe(409);
    expect((await asAdmin(t.app, admin, 'PATCH', `/admin/users/${admin.userId}`, { role: 'user' })).statusCode).toBe(
      409,
    );
    expect((await asAdmin(t.app, admin, 'DELETE', `/admin/users/${other.userId}/ban`)).statusCode).toBe(200);
  });

  it('needs a recent proof of identity to ban or lift a ban', async () => {
    const user = await register(t.app);
    const fresh = await login(t.app, { email: admin.email, password: admin.password });
    clock.advance(REAUTH_MAX_AGE_MS + 1000);
    const call = (method: 'POST' | 'DELETE') =>
      t.app.inject({
        method,
        url: `/admin/users/${user.id}/ban`,
        payload: method === 'POST' ? { reason: 'Spam' } : undefined,
        headers: bearer(fresh.accessToken),
      });
    expectReauthenticationRequired(await call('POST'));
    expectReauthenticationRequired(await call('DELETE'));
    expect((await passwordLogin({ email: user.email, password: STRONG_PASSWORD })).statusCode).toBe(200);
  });
});
