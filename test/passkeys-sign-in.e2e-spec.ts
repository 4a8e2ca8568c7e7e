import { bearer, cookieValue, registerAndLogin } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { APP_ORIGIN, PASSKEY_TEST_ENV, PasskeyBody, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { SERVER_REDIS_URL, startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

describe('passkey sign-in (software authenticator)', () => {
  let t: TestApp;
  const clock = new ControlledClock();
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  it('signs in without an email (discoverable): tokens, cookies and a user object, like login', async () => {
    const { client, authenticator, passkey } = await calls.withPasskey();
    const options = await calls.requestOptions();
    expect(options).toMatchObject({ rpId: 'example.com', allowCredentials: [], userVerification: 'required' });
    const res = await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(options) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ user: { id: client.userId, passkeyCount: 1 }, tokenType: 'Bearer' });
    expect(cookieValue(res, 'user_session')).toBe(body.accessToken);
    expect(cookieValue(res, 'user_refresh')).toBe(body.refreshToken);
    expect((await get(t.app, '/user/me', bearer(body.accessToken))).statusCode).toBe(200);
    const list = await get(t.app, '/user/passkeys', bearer(body.accessToken));
    expect((list.json() as PasskeyBody[])[0]).toMatchObject({ id: passkey.id, lastUsedAt: expect.any(String) });
    expect(await t.waitForLog('security.log', /passkey_signed_in/)).toMatch(/"event_type":"passkey_signed_in"/);
  });

  it('signs in with options asked for with any email: the email names no passkey and binds nothing', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const other = await calls.withPasskey();
    for (const email of [client.email, other.client.email]) {
      const options = await calls.requestOptions(email);
      expect(options.allowCredentials).toEqual([]);
      const res = await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(options) });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(client.userId);
    }
  });

  it('refuses a replayed assertion (the challenge is spent): 400', async () => {
    const { authenticator } = await calls.withPasskey();
    const credential = authenticator.get(await calls.requestOptions());
    expect((await calls.post('/user/auth/passkey', undefined, { credential })).statusCode).toBe(200);
    const replay = await calls.post('/user/auth/passkey', undefined, { credential });
    expect(replay.statusCode).toBe(400);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a challenge older than 5 minutes, for sign-in and registration: 400', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const options = await calls.requestOptions();
    clock.advance(5 * 60_000 + 1000);
    expect(
      (await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(options) })).statusCode,
    ).toBe(400);
    clock.reset();

    const creation = await calls.creationOptions(client);
    clock.advance(5 * 60_000 + 1000);
    const late = await calls.post('/user/passkeys/registration', client, {
      credential: new SoftwareAuthenticator(APP_ORIGIN).create(creation),
    });
    expect(late.statusCode).toBe(400);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 1 });
  });

  it('keeps challenges in Redis when REDIS_URL is set, else in PostgreSQL', async () => {
    const options = await calls.requestOptions();
    const rows = await t.dataSource.query(`SELECT user_id FROM webauthn_challenges WHERE challenge = $1`, [
      options.challenge,
    ]);
    expect(rows).toHaveLength(SERVER_REDIS_URL ? 0 : 1);
  });

  it('refuses ceremonies from an origin outside WEBAUTHN_ORIGINS or for another relying party', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const foreign = authenticator.create(await calls.creationOptions(client), { origin: 'https://evil.example' });
    expect((await calls.post('/user/passkeys/registration', client, { credential: foreign })).statusCode).toBe(400);
    const otherRp = authenticator.create(await calls.creationOptions(client), { rpId: 'evil.example' });
    expect((await calls.post('/user/passkeys/registration', client, { credential: otherRp })).statusCode).toBe(400);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 0 });

    const { authenticator: holder } = await calls.withPasskey();
    for (const overrides of [
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { corruptSignature: true },
    ]) {
      const res = await calls.signIn(holder, overrides);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toMatchObject({ detail: 'The passkey sign-in failed' });
    }
  });

  it('refuses an unknown passkey and a deactivated account with the same 401', async () => {
    const stranger = new SoftwareAuthenticator(APP_ORIGIN);
    stranger.create(await calls.creationOptions(await registerAndLogin(t.app))); // created but never registered
    const unknown = await calls.signIn(stranger);
    expect(unknown.statusCode).toBe(401);

    const { client, authenticator } = await calls.withPasskey();
    await t.dataSource.query(`UPDATE users SET is_active = false WHERE id = $1`, [client.userId]);
    const deactivated = await calls.signIn(authenticator);
    expect(deactivated.statusCode).toBe(401);
    expect(deactivated.json().detail).toBe(unknown.json().detail);
  });

  it('refuses a signature counter that goes backwards (a cloned authenticator) and logs it', async () => {
    const { client, authenticator, passkey } = await calls.withPasskey();
    expect((await calls.signIn(authenticator, { counter: 7 })).statusCode).toBe(200);
    const cloned = await calls.signIn(authenticator, { counter: 3 });
    expect(cloned.statusCode).toBe(401);
    expect((await calls.signIn(authenticator, { counter: 7 })).statusCode).toBe(401);
    const log = await t.waitForLog('security.log', /passkey_counter_regressed/);
    expect(log).toMatch(
      new RegExp(
        `"event_type":"passkey_counter_regressed".*"user_id":"${client.userId}".*"passkey_id":"${passkey.id}"`,
      ),
    );
    expect((await calls.signIn(authenticator, { counter: 8 })).statusCode).toBe(200);
  });

  it('refuses a malformed credential with field errors, and a sign-in from a foreign page with 403', async () => {
    const client = await registerAndLogin(t.app);
    const bad = await calls.post('/user/passkeys/registration', client, { credential: { id: 'x', response: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.length).toBeGreaterThan(0);
    const { authenticator } = await calls.withPasskey();
    const credential = authenticator.get(await calls.requestOptions());
    const crossSite = await post(t.app, '/user/auth/passkey', { credential }, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
  });
});
