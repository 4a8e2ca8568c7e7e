import { bearer, registerAndLogin, SignedInClient } from './support/accounts';
import { auditRowsFor } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep } from './support/mfa';
import { PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { CeremonyOverrides, SoftwareAuthenticator } from './support/software-authenticator';
import { reauthenticate, REAUTH_MAX_AGE_MS } from './support/step-up';
import { startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

const WRONG_PASSWORD = 'Not-The-Password-7';

describe('POST /user/auth/reauthenticate and its passkey form', () => {
  const clock = new ControlledClock();
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...PASSKEY_TEST_ENV, LOCKOUT_THRESHOLD: '3' } });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  const registrationOptions = (client: SignedInClient) => calls.post('/user/passkeys/registration/options', client);
  const authenticatedAtOf = async (client: SignedInClient): Promise<Date> => {
    const [row] = await t.dataSource.query(`SELECT s.authenticated_at AS at FROM sessions s WHERE s.user_id = $1`, [
      client.userId,
    ]);
    return new Date(row.at);
  };

  it('takes the password and makes this session’s proof new: 200 { authenticatedAt }, a reauth.succeeded row', async () => {
    const client = await registerAndLogin(t.app);
    clock.advance(REAUTH_MAX_AGE_MS + 1000);
    expect((await registrationOptions(client)).statusCode).toBe(403);

    const res = await reauthenticate(t.app, client);
    expect(res.statusCode).toBe(200);
    const { authenticatedAt } = res.json() as { authenticatedAt: string };
    expect(Math.abs(Date.parse(authenticatedAt) - clock.now().getTime())).toBeLessThan(5000);
    expect((await authenticatedAtOf(client)).toISOString()).toBe(authenticatedAt);
    expect((await registrationOptions(client)).statusCode).toBe(200);
    const [row] = await auditRowsFor(t.dataSource, client.userId, 'reauth.succeeded');
    expect(row).toMatchObject({ outcome: 'success', actorId: client.userId, details: { method: 'password' } });

    const form = await post(t.app, '/user/auth/reauthenticate', `password=${encodeURIComponent(client.password)}`, {
      ...bearer(client.accessToken),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(200);
    expect((await post(t.app, '/user/auth/reauthenticate', {})).statusCode).toBe(401);
  });

  it('a wrong password is 400 with a field error, a reauth.failed row naming route and method, and counts toward the lockout (then 429, like login)', async () => {
    const client = await registerAndLogin(t.app);
    const missing = await reauthenticate(t.app, client, { password: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ errors: [{ field: 'password' }] });

    for (let i = 0; i < 3; i += 1) {
      const wrong = await reauthenticate(t.app, client, { password: WRONG_PASSWORD });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({ errors: [{ field: 'password', message: 'password is incorrect' }] });
    }
    const failed = await auditRowsFor(t.dataSource, client.userId, 'reauth.failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({
      outcome: 'failure',
      targetUserId: client.userId,
      details: { route: 'POST /user/auth/reauthenticate', method: 'password' },
    });
    expect(await auditRowsFor(t.dataSource, client.userId, 'account.locked')).toHaveLength(1);

    const locked = await reauthenticate(t.app, client);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const loginWhileLocked = await post(t.app, '/user/auth/login', { email: client.email, password: client.password });
    expect(loginWhileLocked.statusCode).toBe(429);
  });

  it('with TOTP on, needs the password and a code (TOTP or recovery, each once); a wrong code is 400 and a reauth.failed row', async () => {
    const client = await registerAndLogin(t.app);
    const { secret, recoveryCodes } = await enableTotp(t.app, client, clock);

    const noCode = await reauthenticate(t.app, client);
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json()).toMatchObject({ errors: [{ field: 'code' }] });
    const wrongCode = await reauthenticate(t.app, client, { code: codeFor(secret, clock, 3) });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json()).toMatchObject({ errors: [{ field: 'code' }] });
    const wrongPassword = await reauthenticate(t.app, client, {
      password: WRONG_PASSWORD,
      code: codeFor(secret, clock),
    });
    expect(wrongPassword.json()).toMatchObject({ errors: [{ field: 'password' }] });

    const withTotp = await reauthenticate(t.app, client, { code: codeFor(secret, clock) });
    expect(withTotp.statusCode).toBe(200);
    const replayed = await reauthenticate(t.app, client, { code: codeFor(secret, clock) });
    expect(replayed.statusCode).toBe(400);
    nextMidStep(clock);
    expect((await reauthenticate(t.app, client, { code: recoveryCodes[0] })).statusCode).toBe(200);
    expect((await reauthenticate(t.app, client, { code: recoveryCodes[0] })).statusCode).toBe(400);

    const methods = (rows: { details: Record<string, unknown> }[]) => rows.map((row) => row.details.method);
    expect(methods(await auditRowsFor(t.dataSource, client.userId, 'reauth.succeeded'))).toEqual([
      'totp',
      'recovery_code',
    ]);
    expect(methods(await auditRowsFor(t.dataSource, client.userId, 'reauth.failed'))).toEqual([
      'totp',
      'password',
      'totp',
      'recovery_code',
    ]);
  });

  describe('with a passkey', () => {
    const reauthOptions = (client: SignedInClient) => calls.post('/user/auth/reauthenticate/passkey/options', client);
    const withPasskey = async (
      client: SignedInClient,
      authenticator: SoftwareAuthenticator,
      overrides?: CeremonyOverrides,
    ) =>
      calls.post('/user/auth/reauthenticate/passkey', client, {
        credential: authenticator.get((await reauthOptions(client)).json(), overrides),
      });

    it('offers only the caller’s passkeys with user verification required, and takes an assertion of one of them', async () => {
      const { client, authenticator, passkey } = await calls.withPasskey();
      const [row] = await t.dataSource.query(`SELECT credential_id FROM passkeys WHERE id = $1`, [passkey.id]);
      const options = (await reauthOptions(client)).json();
      expect(options).toMatchObject({ userVerification: 'required', allowCredentials: [{ id: row.credential_id }] });
      expect(options.allowCredentials).toHaveLength(1);

      clock.advance(REAUTH_MAX_AGE_MS + 1000);
      expect((await registrationOptions(client)).statusCode).toBe(403);
      const res = await withPasskey(client, authenticator);
      expect(res.statusCode).toBe(200);
      expect(Date.parse((res.json() as { authenticatedAt: string }).authenticatedAt)).toBe(
        (await authenticatedAtOf(client)).getTime(),
      );
      expect((await registrationOptions(client)).statusCode).toBe(200);
      const [succeeded] = await auditRowsFor(t.dataSource, client.userId, 'reauth.succeeded');
      expect(succeeded.details).toMatchObject({ method: 'passkey', passkeyId: passkey.id });
    });

    it('refuses another user’s passkey and one asserted without user verification (400, reauth.failed); none at all is 409', async () => {
      const owner = await calls.withPasskey();
      const other = await calls.withPasskey();
      const options = (await reauthOptions(owner.client)).json();
      const foreign = other.authenticator.get({ ...options, allowCredentials: [] });
      const res = await calls.post('/user/auth/reauthenticate/passkey', owner.client, { credential: foreign });
      expect(res.statusCode).toBe(400);
      expect((await withPasskey(owner.client, owner.authenticator, { userVerified: false })).statusCode).toBe(400);
      const failed = await auditRowsFor(t.dataSource, owner.client.userId, 'reauth.failed');
      expect(failed.map((row) => row.details)).toEqual([
        { route: 'POST /user/auth/reauthenticate/passkey', method: 'passkey' },
        { route: 'POST /user/auth/reauthenticate/passkey', method: 'passkey' },
      ]);
      expect(await auditRowsFor(t.dataSource, owner.client.userId, 'reauth.succeeded')).toEqual([]);
      // The same authenticator with user verification is accepted: the flag alone made the difference.
      expect((await withPasskey(owner.client, owner.authenticator)).statusCode).toBe(200);

      expect((await reauthOptions(await registerAndLogin(t.app))).statusCode).toBe(409);
    });
  });
});
