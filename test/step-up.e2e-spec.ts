import { LightMyRequestResponse } from 'fastify';
import { bearer, login, register, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { del, post } from './support/http';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { expectReauthenticationRequired, REAUTH_MAX_AGE_MS, stepUp } from './support/step-up';
import { startTestApp, TestApp } from './support/test-app';

const SECOND = 1000;

describe('step-up: the routes that add or remove a way in need a recent proof of identity', () => {
  const clock = new ControlledClock();
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  const registrationOptions = (client: SignedInClient) => calls.post('/user/passkeys/registration/options', client);
  const register_ = (client: SignedInClient, credential: unknown) =>
    calls.post('/user/passkeys/registration', client, { credential });
  const removePasskey = (client: SignedInClient, id: string) =>
    del(t.app, `/user/passkeys/${id}`, bearer(client.accessToken));
  const totpSetup = (client: SignedInClient) =>
    post(t.app, '/user/mfa/totp/setup', undefined, bearer(client.accessToken));
  const totpEnable = (client: SignedInClient, code: string) =>
    post(t.app, '/user/mfa/totp/enable', { code }, bearer(client.accessToken));
  const passkeyCount = async (client: SignedInClient) =>
    ((await calls.me(client)).json() as { passkeyCount: number }).passkeyCount;

  it('a passkey added right after sign-in works; once the sign-in is older than REAUTH_MAX_AGE_SECONDS a stolen token can neither add nor remove one, until the owner reauthenticates', async () => {
    const { client, passkey } = await calls.withPasskey();
    clock.advance(REAUTH_MAX_AGE_MS + SECOND);

    expectReauthenticationRequired(await registrationOptions(client));
    expectReauthenticationRequired(await removePasskey(client, passkey.id));
    expect(await passkeyCount(client)).toBe(1);

    await stepUp(t.app, client);
    const credential = new SoftwareAuthenticator(APP_ORIGIN).create((await registrationOptions(client)).json());
    expect((await register_(client, credential)).statusCode).toBe(201);
    expect((await removePasskey(client, passkey.id)).statusCode).toBe(204);
    expect(await passkeyCount(client)).toBe(1);
  });

  it('TOTP setup and enable need a recent proof: a stale token cannot enable TOTP and lock the owner out', async () => {
    const client = await registerAndLogin(t.app);
    clock.advance(REAUTH_MAX_AGE_MS + SECOND);
    expectReauthenticationRequired(await totpSetup(client));
    const [pending] = await t.dataSource.query(`SELECT count(*)::int AS n FROM totp_factors WHERE user_id = $1`, [
      client.userId,
    ]);
    expect(pending.n).toBe(0);
    expect((await calls.me(client)).json()).toMatchObject({ mfaEnabled: false });

    await stepUp(t.app, client);
    const { secret } = (await totpSetup(client)).json() as { secret: string };
    nextMidStep(clock);
    expect((await totpEnable(client, codeFor(secret, clock))).statusCode).toBe(200);
  });

  it('the second step of a ceremony begun under a recent proof is accepted while its challenge or secret is live', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    clock.advance(REAUTH_MAX_AGE_MS - 10 * SECOND);
    const options = (await registrationOptions(client)).json();
    const { secret } = (await totpSetup(client)).json() as { secret: string };
    clock.advance(20 * SECOND); // the sign-in is now older than the limit; the ceremonies began before
    expectReauthenticationRequired(await registrationOptions(client));
    expect((await register_(client, authenticator.create(options))).statusCode).toBe(201);
    expect((await totpEnable(client, codeFor(secret, clock))).statusCode).toBe(200);
  });

  it('a second step is refused once no first step under a recent proof can still be live', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    clock.advance(REAUTH_MAX_AGE_MS - 10 * SECOND);
    const options = (await registrationOptions(client)).json();
    const { secret } = (await totpSetup(client)).json() as { secret: string };
    clock.advance(5 * 60 * SECOND + 20 * SECOND); // a challenge lives 5 minutes: this one has expired
    expectReauthenticationRequired(await register_(client, authenticator.create(options)));
    clock.advance(5 * 60 * SECOND); // a pending secret lives 10 minutes: this one has expired too
    expectReauthenticationRequired(await totpEnable(client, codeFor(secret, clock)));

    // Even a fresh proof cannot bring back a pending secret that outlived its setup.
    await stepUp(t.app, client);
    expect((await totpEnable(client, codeFor(secret, clock))).statusCode).toBe(409);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 0, mfaEnabled: false });
  });

  it('a stale session cannot finish a ceremony that a recent session of the same user began', async () => {
    const credentials = await register(t.app);
    const stale = await login(t.app, credentials);
    clock.advance(REAUTH_MAX_AGE_MS + 60 * SECOND);
    const fresh = await login(t.app, credentials);
    const options = (await registrationOptions(fresh)).json();
    const { secret } = (await totpSetup(fresh)).json() as { secret: string };
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    expectReauthenticationRequired(await register_(stale, authenticator.create(options)));
    expectReauthenticationRequired(await totpEnable(stale, codeFor(secret, clock)));
    expect((await calls.me(fresh)).json()).toMatchObject({ passkeyCount: 0, mfaEnabled: false });
  });

  it('every sign-in sets the proof (password, second factor, passkey, password change); a refresh keeps it', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const { secret } = await enableTotp(t.app, client, clock);
    clock.advance(REAUTH_MAX_AGE_MS + SECOND);
    expectReauthenticationRequired(await registrationOptions(client));

    const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: client.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const afterRefresh = { ...client, accessToken: (refreshed.json() as { accessToken: string }).accessToken };
    expectReauthenticationRequired(await registrationOptions(afterRefresh));

    const viaSecondFactor = await secondStep(t.app, await passwordStep(t.app, client), codeFor(secret, clock));
    expect(viaSecondFactor.statusCode).toBe(200);
    expect((await registrationOptions(withToken(client, viaSecondFactor))).statusCode).toBe(200);

    const viaPasskey = await calls.signIn(authenticator);
    expect(viaPasskey.statusCode).toBe(200);
    expect((await registrationOptions(withToken(client, viaPasskey))).statusCode).toBe(200);

    clock.advance(REAUTH_MAX_AGE_MS + SECOND);
    const stale = withToken(client, viaPasskey);
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: client.password, newPassword: 'An0ther-Long-Passphrase' },
      bearer(stale.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    expect((await registrationOptions(withToken(client, changed))).statusCode).toBe(200);
  });

  it('the admin routes that act on another account need a recent proof; a non-admin still gets the plain 403', async () => {
    const credentials = await register(t.app);
    const admin = await signedInAdmin(t.app);
    const target = await login(t.app, credentials);
    const asAdmin = (method: 'PATCH' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, payload: payload as never, headers: bearer(admin.accessToken) });
    clock.advance(REAUTH_MAX_AGE_MS + SECOND);

    expectReauthenticationRequired(await asAdmin('PATCH', `/admin/users/${target.userId}`, { isActive: false }));
    expectReauthenticationRequired(await asAdmin('DELETE', `/admin/users/${target.userId}/mfa`));
    expectReauthenticationRequired(await asAdmin('DELETE', `/admin/users/${target.userId}`));
    expect((await calls.me(target)).statusCode).toBe(200);

    const notAdmin = await del(t.app, `/admin/users/${admin.userId}`, bearer(target.accessToken));
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json()).not.toHaveProperty('code');

    await stepUp(t.app, admin);
    expect((await asAdmin('PATCH', `/admin/users/${target.userId}`, { isActive: true })).statusCode).toBe(200);
    expect((await asAdmin('DELETE', `/admin/users/${target.userId}/mfa`)).statusCode).toBe(204);
    expect((await asAdmin('DELETE', `/admin/users/${target.userId}`)).statusCode).toBe(204);
  });
});

function withToken(client: SignedInClient, res: LightMyRequestResponse): SignedInClient {
  return { ...client, accessToken: (res.json() as { accessToken: string }).accessToken };
}
