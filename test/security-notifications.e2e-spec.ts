import { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { AdminAccountSeed } from '../src/users/admin-account-seed';
import {
  bearer,
  login,
  register,
  registerAndLogin,
  SignedInClient,
  STRONG_PASSWORD,
  uniqueEmail,
} from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { LoggedMail, linkToken, waitForMail } from './support/mail-log';
import { codeFor, enableTotp, passwordStep } from './support/mfa';
import { del, get, post } from './support/http';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { startTestApp, TestApp } from './support/test-app';

const ATTACKER_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const NEW_PASSWORD = 'An0ther-Long-Passphrase';
const DAY_MS = 86_400_000;

describe('security notifications and the secure-account link', () => {
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV, clock });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  const notification = (email: string, event: string, count = 1): Promise<LoggedMail> =>
    waitForMail(t.logDir, (mail) => mail.to === email && mail.event === event, count);
  const secure = (token: string) => post(t.app, '/user/auth/secure-account', { token });
  const me = (accessToken: string) => get(t.app, '/user/me', bearer(accessToken));
  const refresh = (refreshToken: string) => post(t.app, '/user/auth/refresh', { refreshToken });

  async function passkeySignIn(authenticator: SoftwareAuthenticator, userAgent?: string) {
    const credential: AuthenticationResponseJSON = authenticator.get(await calls.requestOptions());
    return post(t.app, '/user/auth/passkey', { credential }, userAgent ? { 'user-agent': userAgent } : {});
  }

  async function expectEnded(...clients: { accessToken: string; refreshToken: string }[]): Promise<void> {
    for (const client of clients) {
      expect((await me(client.accessToken)).statusCode).toBe(401);
      expect((await refresh(client.refreshToken)).statusCode).toBe(401);
    }
  }

  it('mails the owner about a passkey added with a stolen token; the link removes it and ends every session', async () => {
    const owner = await registerAndLogin(t.app);
    const attackerAuthenticator = new SoftwareAuthenticator(APP_ORIGIN);
    // The attacker holds only the owner's access token.
    const added = await calls.addPasskey(owner, attackerAuthenticator, 'Attacker key');

    const mail = await notification(owner.email, 'passkey_added');
    expect(mail).toMatchObject({
      purpose: 'security_notification',
      subject: expect.stringContaining('A passkey was added'),
      link: expect.stringMatching(/^https:\/\/auth\.example\.com\/secure-account\?token=[A-Za-z0-9_-]{43}$/),
    });
    expect(mail.text).toContain('"Attacker key"');
    expect(mail.text).toMatch(/When: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(mail.text).toContain('IP address: 127.0.0.1');
    expect(mail.text).toContain('Device: an unknown browser on an unknown system');
    expect(mail.text).toContain(mail.link);

    // The attacker's passkey signs in, from a device the account never used: a second notification.
    const attackerSignIn = await passkeySignIn(attackerAuthenticator, ATTACKER_BROWSER);
    expect(attackerSignIn.statusCode).toBe(200);
    const attacker = attackerSignIn.json() as { accessToken: string; refreshToken: string };
    const newDevice = await notification(owner.email, 'new_device');
    expect(newDevice.subject).toContain('from Firefox on Linux');
    expect(newDevice.link).not.toBe(mail.link);

    // The first mail's link still works after the second notification.
    const secured = await secure(linkToken(mail));
    expect(secured.statusCode).toBe(200);
    expect(secured.json()).toEqual({ message: expect.stringContaining('Every session has ended'), removed: 'passkey' });

    await expectEnded(owner, attacker);
    expect((await passkeySignIn(attackerAuthenticator, ATTACKER_BROWSER)).statusCode).toBe(401);
    const list = await t.dataSource.query(`SELECT id FROM passkeys WHERE id = $1`, [added.id]);
    expect(list).toEqual([]);
    const again = await login(t.app, owner);
    expect((await me(again.accessToken)).json()).toMatchObject({ passkeyCount: 0 });

    // A reset link follows; every other link of the account is dead, the used one included.
    const reset = await waitForMail(t.logDir, (m) => m.to === owner.email && m.purpose === 'reset_password');
    expect(reset.link).toMatch(/^https:\/\/auth\.example\.com\/reset-password\?token=/);
    expect((await secure(linkToken(mail))).statusCode).toBe(400);
    expect((await secure(linkToken(newDevice))).statusCode).toBe(400);
    const [row] = await t.dataSource.query(
      `SELECT actor_id, details FROM audit_events WHERE action = 'account.secured' AND target_user_id = $1`,
      [owner.userId],
    );
    expect(row).toEqual({ actor_id: owner.userId, details: { event: 'passkey_added', removed: 'passkey' } });
  });

  it('undoes TOTP enabled with a stolen token: the factor, its recovery codes and pending sign-ins go', async () => {
    const owner = await registerAndLogin(t.app);
    const { secret, recoveryCodes } = await enableTotp(t.app, owner, clock);
    const mail = await notification(owner.email, 'totp_enabled');
    expect(mail.subject).toContain('Two-step sign-in was turned on');
    // The owner's own password sign-in now waits for a code the attacker holds.
    const mfaToken = await passwordStep(t.app, owner);

    const secured = await secure(linkToken(mail));
    expect(secured.json()).toMatchObject({ removed: 'totp' });
    await expectEnded(owner);
    const finish = await post(t.app, '/user/auth/mfa', { mfaToken, code: codeFor(secret, clock) });
    expect(finish.statusCode).toBe(401);
    const back = await post(t.app, '/user/auth/login', owner);
    expect(back.json()).toMatchObject({ user: { mfaEnabled: false } });
    const codes = await t.dataSource.query(`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`, [
      owner.userId,
    ]);
    expect(codes).toEqual([{ n: 0 }]);
    expect(recoveryCodes).toHaveLength(10);
  });

  it('removes only what the event added: a TOTP factor the owner enabled again later stays', async () => {
    const owner = await registerAndLogin(t.app);
    const { secret } = await enableTotp(t.app, owner, clock);
    const first = await notification(owner.email, 'totp_enabled');
    const disabled = await post(
      t.app,
      '/user/mfa/totp/disable',
      { password: owner.password, code: codeFor(secret, clock) },
      bearer(owner.accessToken),
    );
    expect(disabled.statusCode).toBe(204);
    expect((await notification(owner.email, 'totp_disabled')).link).toBeNull();
    await enableTotp(t.app, owner, clock);
    await notification(owner.email, 'totp_enabled', 2);

    const secured = await secure(linkToken(first));
    expect(secured.statusCode).toBe(200);
    expect(secured.json()).toMatchObject({ removed: null });
    expect((await post(t.app, '/user/auth/login', owner)).json()).toMatchObject({ mfaRequired: true });
  });

  it('gives password changes a link that a later change does not void', async () => {
    const owner = await registerAndLogin(t.app);
    const change = (client: SignedInClient, from: string, to: string) =>
      post(t.app, '/user/me/password', { currentPassword: from, newPassword: to }, bearer(client.accessToken));
    const first = await change(owner, STRONG_PASSWORD, NEW_PASSWORD);
    expect(first.statusCode).toBe(200);
    const firstMail = await notification(owner.email, 'password_changed');
    const second = await change(first.json() as SignedInClient, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(second.statusCode).toBe(200);
    await notification(owner.email, 'password_changed', 2);

    const secured = await secure(linkToken(firstMail));
    expect(secured.statusCode).toBe(200);
    expect(secured.json()).toMatchObject({ removed: null });
    await expectEnded(second.json() as { accessToken: string; refreshToken: string });
  });

  it('mails removals and regenerations without a link', async () => {
    const { client, passkey } = await calls.withPasskey();
    const removed = await del(t.app, `/user/passkeys/${passkey.id}`, bearer(client.accessToken));
    expect(removed.statusCode).toBe(204);
    const removal = await notification(client.email, 'passkey_removed');
    expect(removal.link).toBeNull();
    expect(removal.text).toContain('"Passkey" was removed');
    expect(removal.text).toContain('Forgot password');

    await enableTotp(t.app, client, clock);
    const regenerated = await post(
      t.app,
      '/user/mfa/recovery-codes',
      { password: client.password },
      bearer(client.accessToken),
    );
    expect(regenerated.statusCode).toBe(200);
    expect((await notification(client.email, 'recovery_codes_regenerated')).link).toBeNull();
  });

  it('tells the owner of an administrator’s factor reset without the administrator’s address or device', async () => {
    const adminEmail = uniqueEmail('admin');
    await t.app.get(AdminAccountSeed).ensureAdmin(adminEmail, 'Adm1n-Str0ng-Passphrase');
    const admin = await post(
      t.app,
      '/user/auth/login',
      { email: adminEmail, password: 'Adm1n-Str0ng-Passphrase' },
      { 'user-agent': ATTACKER_BROWSER },
    );
    const { client } = await calls.withPasskey();
    const reset = await del(t.app, `/admin/users/${client.userId}/mfa`, {
      ...bearer((admin.json() as { accessToken: string }).accessToken),
      'user-agent': ATTACKER_BROWSER,
    });
    expect(reset.statusCode).toBe(204);
    const mail = await notification(client.email, 'second_factors_reset');
    expect(mail.link).toBeNull();
    expect(mail.text).toContain('By: an administrator');
    expect(mail.text).not.toContain('127.0.0.1');
    expect(mail.text).not.toContain('Firefox');
  });

  it('gives a password reset a link too, and the reset does not void it', async () => {
    const owner = await registerAndLogin(t.app);
    expect((await post(t.app, '/user/auth/forgot-password', { email: owner.email })).statusCode).toBe(202);
    const resetMail = await waitForMail(t.logDir, (m) => m.to === owner.email && m.purpose === 'reset_password');
    const done = await post(t.app, '/user/auth/reset-password', {
      token: linkToken(resetMail),
      newPassword: NEW_PASSWORD,
    });
    expect(done.statusCode).toBe(200);
    const mail = await notification(owner.email, 'password_reset');
    expect(mail.subject).toContain('was reset');
    const signedIn = await login(t.app, { email: owner.email, password: NEW_PASSWORD });
    expect((await secure(linkToken(mail))).statusCode).toBe(200);
    await expectEnded(signedIn);
    // The step mails a fresh reset link: the owner chooses the password again.
    await waitForMail(t.logDir, (m) => m.to === owner.email && m.purpose === 'reset_password', 2);
  });

  it('mails a sign-in from a device unseen for 90 days; the registering device counts as seen', async () => {
    const account = await register(t.app);
    const from = (userAgent: string) => post(t.app, '/user/auth/login', account, { 'user-agent': userAgent });
    // Queued in the sign-in's transaction: the outbox row exists when the answer comes.
    const queued = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM mail_outbox WHERE recipient = $1 AND event = 'new_device'`,
            [account.email],
          )
        )[0].n,
      );

    expect((await login(t.app, account)).accessToken).toBeTruthy();
    expect((await from(ATTACKER_BROWSER)).statusCode).toBe(200);
    const mail = await notification(account.email, 'new_device');
    expect(mail.text).toContain('Device: Firefox on Linux');
    expect(mail.link).toMatch(/\/secure-account\?token=/);
    // Seen now, also with a newer version of the same browser.
    await from(ATTACKER_BROWSER.replace(/133\.0/g, '134.0'));
    clock.advance(89 * DAY_MS);
    await from(ATTACKER_BROWSER);
    expect(await queued()).toBe(1);

    clock.advance(91 * DAY_MS);
    await login(t.app, account);
    expect((await notification(account.email, 'new_device', 2)).text).toContain(
      'Device: an unknown browser on an unknown system',
    );
  });

  it('answers a bad, spent or expired token with one 400 body', async () => {
    const owner = await registerAndLogin(t.app);
    await calls.addPasskey(owner, new SoftwareAuthenticator(APP_ORIGIN));
    const mail = await notification(owner.email, 'passkey_added');
    clock.advance(7 * DAY_MS + 60_000);
    const expired = await secure(linkToken(mail));
    const unknown = await secure('x'.repeat(43));
    const missing = await post(t.app, '/user/auth/secure-account', {});
    for (const res of [expired, unknown, missing]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ field: 'token', message: expect.any(String) }] });
    }
    expect(expired.json().errors).toEqual(unknown.json().errors);
    expect(missing.json().errors).toEqual(unknown.json().errors);
  });
});
