import { randomUUID } from 'node:crypto';
import { bearer, login, register, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { del, get, post } from './support/http';
import { stepUp } from './support/step-up';
import { startTestApp, TestApp } from './support/test-app';

describe('TOTP second factor: setup, enable, disable, recovery codes, admin reset', () => {
  const clock = new ControlledClock();
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { MFA_ISSUER: 'Acme Login' } });
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  const me = (client: SignedInClient) => get(t.app, '/user/me', bearer(client.accessToken));
  const as = (client: SignedInClient, url: string, payload?: object) =>
    post(t.app, url, payload, bearer(client.accessToken));
  const fieldOf = (res: { json(): unknown }) => (res.json() as { errors?: { field: string }[] }).errors?.[0]?.field;

  it('sets up a pending secret with its otpauth URI and QR code, and a new setup replaces it', async () => {
    const client = await registerAndLogin(t.app);
    const first = await as(client, '/user/mfa/totp/setup');
    expect(first.statusCode).toBe(200);
    const body = first.json() as { secret: string; otpauthUrl: string; qrCodeSvg: string };
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(body.otpauthUrl);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('issuer')).toBe('Acme Login');
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(decodeURIComponent(uri.pathname)).toContain(client.email);
    expect(body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect((await me(client)).json()).toMatchObject({ mfaEnabled: false });
    // The stored secret is ciphertext, never the Base32 text.
    const [row] = (await t.dataSource.query(
      `SELECT secret_ciphertext, key_version FROM totp_factors WHERE user_id = $1`,
      [client.userId],
    )) as { secret_ciphertext: Buffer; key_version: number }[];
    expect(row.key_version).toBe(1);
    expect(row.secret_ciphertext.toString('latin1')).not.toContain(body.secret);

    const second = (await as(client, '/user/mfa/totp/setup')).json() as { secret: string };
    expect(second.secret).not.toBe(body.secret);
    nextMidStep(clock);
    const stale = await as(client, '/user/mfa/totp/enable', { code: codeFor(body.secret, clock) });
    expect(stale.statusCode).toBe(400);
    expect(fieldOf(stale)).toBe('code');
    const enabled = await as(client, '/user/mfa/totp/enable', { code: codeFor(second.secret, clock) });
    expect(enabled.statusCode).toBe(200);
  });

  it('enables with a right code, answering ten recovery codes once, and refuses what no longer fits', async () => {
    const client = await registerAndLogin(t.app);
    expect((await as(client, '/user/mfa/totp/enable', { code: '123456' })).statusCode).toBe(409);
    const { secret } = (await as(client, '/user/mfa/totp/setup')).json() as { secret: string };
    nextMidStep(clock);
    const wrong = await as(client, '/user/mfa/totp/enable', { code: codeFor(secret, clock, 2) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fieldOf(wrong)).toBe('code');
    // A form body, like every other route.
    const enabled = await post(t.app, '/user/mfa/totp/enable', `code=${codeFor(secret, clock)}`, {
      ...bearer(client.accessToken),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(enabled.statusCode).toBe(200);
    const { recoveryCodes } = enabled.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = (await t.dataSource.query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [
      client.userId,
    ])) as { code_hash: string }[];
    expect(stored).toHaveLength(10);
    expect(stored.map((row) => row.code_hash).join()).not.toContain(recoveryCodes[0].replace(/-/g, ''));
    expect((await me(client)).json()).toMatchObject({ mfaEnabled: true });
    expect((await as(client, '/user/mfa/totp/setup')).statusCode).toBe(409);
    expect((await as(client, '/user/mfa/totp/enable', { code: codeFor(secret, clock, 1) })).statusCode).toBe(409);
    expect((await t.waitForLog('security.log', /mfa_enabled/)).includes(client.userId)).toBe(true);
  });

  it('ends every other session of the user when TOTP is enabled, keeping the caller’s', async () => {
    const credentials = await register(t.app);
    const here = await login(t.app, credentials);
    const elsewhere = await login(t.app, credentials);
    await enableTotp(t.app, here, clock);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: elsewhere.refreshToken });
    expect(refreshed.statusCode).toBe(401);
  });

  it('disables with the password and a TOTP code, ending other sessions; wrong ones are field errors', async () => {
    const credentials = await register(t.app);
    const here = await login(t.app, credentials);
    const { secret } = await enableTotp(t.app, here, clock);
    const elsewhere = await secondStep(t.app, await passwordStep(t.app, credentials), codeFor(secret, clock));
    expect(elsewhere.statusCode).toBe(200);
    nextMidStep(clock);
    const wrongPassword = await as(here, '/user/mfa/totp/disable', {
      password: 'Wrong-Pass-123',
      code: codeFor(secret, clock),
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(fieldOf(wrongPassword)).toBe('password');
    const wrongCode = await as(here, '/user/mfa/totp/disable', { password: credentials.password, code: '000000' });
    expect(wrongCode.statusCode).toBe(400);
    expect(fieldOf(wrongCode)).toBe('code');
    const disabled = await as(here, '/user/mfa/totp/disable', {
      password: credentials.password,
      code: codeFor(secret, clock),
    });
    expect(disabled.statusCode).toBe(204);
    expect((await me(here)).json()).toMatchObject({ mfaEnabled: false });
    const otherToken = (elsewhere.json() as { accessToken: string }).accessToken;
    expect((await get(t.app, '/user/me', bearer(otherToken))).statusCode).toBe(401);
    // Signing in needs the password alone again.
    expect((await post(t.app, '/user/auth/login', credentials)).json()).toHaveProperty('accessToken');
    expect(
      (await as(here, '/user/mfa/totp/disable', { password: credentials.password, code: '123456' })).statusCode,
    ).toBe(409);
    const rows = (await t.dataSource.query(`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`, [
      here.userId,
    ])) as { n: number }[];
    expect(rows[0].n).toBe(0);
  });

  it('disables with a recovery code instead of a TOTP code', async () => {
    const credentials = await register(t.app);
    const client = await login(t.app, credentials);
    const { recoveryCodes } = await enableTotp(t.app, client, clock);
    const res = await as(client, '/user/mfa/totp/disable', {
      password: credentials.password,
      code: recoveryCodes[3].toUpperCase(),
    });
    expect(res.statusCode).toBe(204);
    expect((await me(client)).json()).toMatchObject({ mfaEnabled: false });
  });

  it('regenerates recovery codes with the password: the old set stops working, other sessions end', async () => {
    const credentials = await register(t.app);
    const here = await login(t.app, credentials);
    const { recoveryCodes: old } = await enableTotp(t.app, here, clock);
    const elsewhere = await secondStep(t.app, await passwordStep(t.app, credentials), old[0]);
    expect(elsewhere.statusCode).toBe(200);
    const wrong = await as(here, '/user/mfa/recovery-codes', { password: 'Wrong-Pass-123' });
    expect(wrong.statusCode).toBe(400);
    expect(fieldOf(wrong)).toBe('password');
    const res = await as(here, '/user/mfa/recovery-codes', { password: credentials.password });
    expect(res.statusCode).toBe(200);
    const fresh = (res.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(old[1]);
    const otherToken = (elsewhere.json() as { accessToken: string }).accessToken;
    expect((await get(t.app, '/user/me', bearer(otherToken))).statusCode).toBe(401);
    expect((await me(here)).statusCode).toBe(200);
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), old[1])).statusCode).toBe(401);
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), fresh[1])).statusCode).toBe(200);
    expect(await t.waitForLog('security.log', /mfa_recovery_codes_regenerated/)).toContain(here.userId);
    const noTotp = await registerAndLogin(t.app);
    expect((await as(noTotp, '/user/mfa/recovery-codes', { password: noTotp.password })).statusCode).toBe(409);
  });

  it('lets an admin remove a user’s factors, ending every session of theirs', async () => {
    const credentials = await register(t.app);
    const client = await login(t.app, credentials);
    await enableTotp(t.app, client, clock);
    const pending = await passwordStep(t.app, credentials);
    const notAdmin = await del(t.app, `/admin/users/${client.userId}/mfa`, bearer(client.accessToken));
    expect(notAdmin.statusCode).toBe(403);
    // The admin signed in before the earlier tests moved the clock on: a recent proof first.
    await stepUp(t.app, admin);
    const reset = await del(t.app, `/admin/users/${client.userId}/mfa`, bearer(admin.accessToken));
    expect(reset.statusCode).toBe(204);
    expect((await me(client)).statusCode).toBe(401);
    // A sign-in half done before the reset cannot finish with a code of the removed factor.
    expect((await secondStep(t.app, pending, '123456')).statusCode).toBe(401);
    const again = await post(t.app, '/user/auth/login', credentials);
    expect(again.json()).toMatchObject({ user: { id: client.userId, mfaEnabled: false } });
    expect(await t.waitForLog('security.log', /mfa_reset/)).toContain(client.userId);
    const unknown = await del(t.app, `/admin/users/${randomUUID()}/mfa`, bearer(admin.accessToken));
    expect(unknown.statusCode).toBe(404);
    const malformed = await del(t.app, '/admin/users/not-a-uuid/mfa', bearer(admin.accessToken));
    expect(malformed.statusCode).toBe(400);
  });

  it('needs a signed-in user for every /user/mfa route', async () => {
    for (const url of [
      '/user/mfa/totp/setup',
      '/user/mfa/totp/enable',
      '/user/mfa/totp/disable',
      '/user/mfa/recovery-codes',
    ]) {
      expect((await post(t.app, url, {})).statusCode).toBe(401);
    }
  });
});
