import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { bearer, cookieValue, login, register, registerAndLogin, SignedInClient } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { SoftwareAuthenticator, CeremonyOverrides } from './support/software-authenticator';
import { SERVER_REDIS_URL, startTestApp, TestApp } from './support/test-app';

const APP_ORIGIN = 'https://app.example.com';

interface PasskeyBody {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  transports: string[];
}

describe('passkeys (WebAuthn) with a software authenticator', () => {
  let t: TestApp;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        APP_URL: 'https://auth.example.com',
        CORS_ORIGINS: JSON.stringify([APP_ORIGIN]),
        WEBAUTHN_RP_ID: 'example.com',
        WEBAUTHN_RP_NAME: 'ClickBit Test',
      },
    });
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  const post = (url: string, client: SignedInClient | undefined, payload?: object) =>
    t.app.inject({ method: 'POST', url, payload, headers: client ? bearer(client.accessToken) : {} });

  async function creationOptions(client: SignedInClient): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const res = await post('/user/passkeys/registration/options', client);
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function addPasskey(
    client: SignedInClient,
    authenticator: SoftwareAuthenticator,
    name?: string,
  ): Promise<PasskeyBody> {
    const credential = authenticator.create(await creationOptions(client));
    const res = await post('/user/passkeys/registration', client, { credential, name });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function requestOptions(email?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const res = await post('/user/auth/passkey/options', undefined, email === undefined ? undefined : { email });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function signIn(authenticator: SoftwareAuthenticator, overrides: CeremonyOverrides = {}, email?: string) {
    const credential = authenticator.get(await requestOptions(email), overrides);
    return post('/user/auth/passkey', undefined, { credential });
  }

  async function withPasskey(): Promise<{
    client: SignedInClient;
    authenticator: SoftwareAuthenticator;
    passkey: PasskeyBody;
  }> {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    return { client, authenticator, passkey: await addPasskey(client, authenticator) };
  }

  const me = (client: SignedInClient) =>
    t.app.inject({ method: 'GET', url: '/user/me', headers: bearer(client.accessToken) });

  it('offers creation options for this relying party: resident key required, user verification preferred', async () => {
    const client = await registerAndLogin(t.app);
    const options = await creationOptions(client);
    expect(options.rp).toEqual({ id: 'example.com', name: 'ClickBit Test' });
    expect(options.user.name).toBe(client.email);
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(client.userId.replace(/-/g, ''));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
    expect(options.excludeCredentials).toEqual([]);
    expect(options.pubKeyCredParams.map((param) => param.alg)).toContain(-7);
  });

  it('registers a passkey, lists it, counts it on the user, and excludes it from the next options', async () => {
    const { client, passkey } = await withPasskey();
    expect(passkey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Passkey',
      createdAt: expect.any(String),
      lastUsedAt: null,
      backedUp: false,
      transports: ['internal', 'hybrid'],
    });
    const list = await t.app.inject({ method: 'GET', url: '/user/passkeys', headers: bearer(client.accessToken) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([passkey]);
    expect((await me(client)).json()).toMatchObject({ passkeyCount: 1 });

    const again = await creationOptions(client);
    const [row] = await t.dataSource.query(`SELECT credential_id FROM passkeys WHERE id = $1`, [passkey.id]);
    expect(again.excludeCredentials).toEqual([
      { id: row.credential_id, type: 'public-key', transports: ['internal', 'hybrid'] },
    ]);
    expect(await t.waitForLog('security.log', /passkey_added/)).toMatch(
      new RegExp(`"event_type":"passkey_added".*"user_id":"${client.userId}"`),
    );
  });

  it('names, renames and removes passkeys; another user’s is 404 and a malformed id 400', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const first = await addPasskey(client, authenticator, 'Laptop');
    expect(first.name).toBe('Laptop');
    const stranger = await registerAndLogin(t.app);

    const rename = (who: SignedInClient, id: string, name: unknown) =>
      t.app.inject({
        method: 'PATCH',
        url: `/user/passkeys/${id}`,
        payload: { name },
        headers: bearer(who.accessToken),
      });
    const renamed = await rename(client, first.id, '  Work laptop ');
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: first.id, name: 'Work laptop' });
    expect((await rename(client, first.id, '')).statusCode).toBe(400);
    expect((await rename(stranger, first.id, 'Mine now')).statusCode).toBe(404);
    expect((await rename(client, 'not-a-uuid', 'x')).statusCode).toBe(400);

    const remove = (who: SignedInClient, id: string) =>
      t.app.inject({ method: 'DELETE', url: `/user/passkeys/${id}`, headers: bearer(who.accessToken) });
    expect((await remove(stranger, first.id)).statusCode).toBe(404);
    expect((await remove(client, 'not-a-uuid')).statusCode).toBe(400);
    expect((await me(client)).json()).toMatchObject({ passkeyCount: 1 });
    expect((await remove(client, first.id)).statusCode).toBe(204);
    expect((await remove(client, first.id)).statusCode).toBe(404);
    expect((await me(client)).json()).toMatchObject({ passkeyCount: 0 });
    const list = await t.app.inject({ method: 'GET', url: '/user/passkeys', headers: bearer(client.accessToken) });
    expect(list.json()).toEqual([]);
    expect(await t.waitForLog('security.log', /passkey_removed/)).toMatch(/"event_type":"passkey_removed"/);
  });

  it('ends every other session of the user when a passkey is added or removed, and keeps the caller’s', async () => {
    const credentials = await register(t.app);
    const caller = await login(t.app, credentials);
    const other = await login(t.app, credentials);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const passkey = await addPasskey(caller, authenticator);
    expect((await me(other)).statusCode).toBe(401);
    expect((await post('/user/auth/refresh', undefined, { refreshToken: other.refreshToken })).statusCode).toBe(401);
    expect((await me(caller)).statusCode).toBe(200);

    const third = await login(t.app, credentials);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/user/passkeys/${passkey.id}`,
      headers: bearer(caller.accessToken),
    });
    expect(removed.statusCode).toBe(204);
    expect((await me(third)).statusCode).toBe(401);
    expect((await me(caller)).statusCode).toBe(200);
  });

  it('signs in without an email (discoverable): tokens, cookies and a user object, like login', async () => {
    const { client, authenticator, passkey } = await withPasskey();
    const options = await requestOptions();
    expect(options).toMatchObject({ rpId: 'example.com', allowCredentials: [], userVerification: 'preferred' });
    const res = await post('/user/auth/passkey', undefined, { credential: authenticator.get(options) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ user: { id: client.userId, passkeyCount: 1 }, tokenType: 'Bearer' });
    expect(cookieValue(res, 'user_session')).toBe(body.accessToken);
    expect(cookieValue(res, 'user_refresh')).toBe(body.refreshToken);
    expect((await t.app.inject({ method: 'GET', url: '/user/me', headers: bearer(body.accessToken) })).statusCode).toBe(
      200,
    );
    const list = await t.app.inject({ method: 'GET', url: '/user/passkeys', headers: bearer(body.accessToken) });
    expect((list.json() as PasskeyBody[])[0]).toMatchObject({ id: passkey.id, lastUsedAt: expect.any(String) });
    expect(await t.waitForLog('security.log', /passkey_signed_in/)).toMatch(/"event_type":"passkey_signed_in"/);
  });

  it('signs in with an email: the options name that account’s passkeys, and only they are accepted', async () => {
    const { client, authenticator } = await withPasskey();
    const options = await requestOptions(client.email);
    const [row] = await t.dataSource.query(`SELECT credential_id FROM passkeys WHERE user_id = $1`, [client.userId]);
    expect(options.allowCredentials).toEqual([
      { id: row.credential_id, type: 'public-key', transports: ['internal', 'hybrid'] },
    ]);
    const res = await post('/user/auth/passkey', undefined, { credential: authenticator.get(options) });
    expect(res.statusCode).toBe(200);

    // A challenge bound to another account refuses this passkey.
    const other = await withPasskey();
    const boundToOther = await requestOptions(other.client.email);
    const credential = authenticator.get({ ...boundToOther, allowCredentials: [] });
    expect((await post('/user/auth/passkey', undefined, { credential })).statusCode).toBe(401);
  });

  it('refuses a replayed assertion (the challenge is spent): 400', async () => {
    const { authenticator } = await withPasskey();
    const credential = authenticator.get(await requestOptions());
    expect((await post('/user/auth/passkey', undefined, { credential })).statusCode).toBe(200);
    const replay = await post('/user/auth/passkey', undefined, { credential });
    expect(replay.statusCode).toBe(400);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a challenge older than 5 minutes, for sign-in and registration: 400', async () => {
    const { client, authenticator } = await withPasskey();
    const options = await requestOptions();
    clock.advance(5 * 60_000 + 1000);
    expect((await post('/user/auth/passkey', undefined, { credential: authenticator.get(options) })).statusCode).toBe(
      400,
    );
    clock.reset();

    const creation = await creationOptions(client);
    clock.advance(5 * 60_000 + 1000);
    const late = await post('/user/passkeys/registration', client, {
      credential: new SoftwareAuthenticator(APP_ORIGIN).create(creation),
    });
    expect(late.statusCode).toBe(400);
    expect((await me(client)).json()).toMatchObject({ passkeyCount: 1 });
  });

  it('keeps challenges in Redis when REDIS_URL is set, else in PostgreSQL', async () => {
    const options = await requestOptions();
    const rows = await t.dataSource.query(`SELECT user_id FROM webauthn_challenges WHERE challenge = $1`, [
      options.challenge,
    ]);
    expect(rows).toHaveLength(SERVER_REDIS_URL ? 0 : 1);
  });

  it('refuses a registration challenge of another user: 400, and it stays usable by its owner', async () => {
    const owner = await registerAndLogin(t.app);
    const thief = await registerAndLogin(t.app);
    const options = await creationOptions(owner);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const credential = authenticator.create(options);
    expect((await post('/user/passkeys/registration', thief, { credential })).statusCode).toBe(400);
    expect((await post('/user/passkeys/registration', owner, { credential })).statusCode).toBe(201);
  });

  it('refuses ceremonies from an origin outside WEBAUTHN_ORIGINS or for another relying party', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const foreign = authenticator.create(await creationOptions(client), { origin: 'https://evil.example' });
    expect((await post('/user/passkeys/registration', client, { credential: foreign })).statusCode).toBe(400);
    const otherRp = authenticator.create(await creationOptions(client), { rpId: 'evil.example' });
    expect((await post('/user/passkeys/registration', client, { credential: otherRp })).statusCode).toBe(400);
    expect((await me(client)).json()).toMatchObject({ passkeyCount: 0 });

    const { authenticator: holder } = await withPasskey();
    for (const overrides of [
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { corruptSignature: true },
    ]) {
      const res = await signIn(holder, overrides);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toMatchObject({ detail: 'The passkey sign-in failed' });
    }
  });

  it('refuses an unknown passkey and a deactivated account with the same 401', async () => {
    const stranger = new SoftwareAuthenticator(APP_ORIGIN);
    stranger.create(await creationOptions(await registerAndLogin(t.app))); // created but never registered
    const unknown = await signIn(stranger);
    expect(unknown.statusCode).toBe(401);

    const { client, authenticator } = await withPasskey();
    await t.dataSource.query(`UPDATE users SET is_active = false WHERE id = $1`, [client.userId]);
    const deactivated = await signIn(authenticator);
    expect(deactivated.statusCode).toBe(401);
    expect(deactivated.json().detail).toBe(unknown.json().detail);
  });

  it('refuses a signature counter that goes backwards (a cloned authenticator) and logs it', async () => {
    const { client, authenticator, passkey } = await withPasskey();
    expect((await signIn(authenticator, { counter: 7 })).statusCode).toBe(200);
    const cloned = await signIn(authenticator, { counter: 3 });
    expect(cloned.statusCode).toBe(401);
    expect((await signIn(authenticator, { counter: 7 })).statusCode).toBe(401);
    const log = await t.waitForLog('security.log', /passkey_counter_regressed/);
    expect(log).toMatch(
      new RegExp(
        `"event_type":"passkey_counter_regressed".*"user_id":"${client.userId}".*"passkey_id":"${passkey.id}"`,
      ),
    );
    expect((await signIn(authenticator, { counter: 8 })).statusCode).toBe(200);
  });

  it('takes JSON bodies only on the passkey routes: a form is 415', async () => {
    const client = await registerAndLogin(t.app);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const [method, url] of [
      ['POST', '/user/auth/passkey'],
      ['POST', '/user/auth/passkey/options'],
      ['POST', '/user/passkeys/registration'],
      ['POST', '/user/passkeys/registration/options'],
      ['PATCH', '/user/passkeys/5f0c2a9e-1d7b-4c3e-8a6f-2b9d4e7c1a05'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        payload: 'name=x&email=a%40b.c',
        headers: { ...form, ...bearer(client.accessToken) },
      });
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });

  it('refuses a malformed credential with field errors, and a sign-in from a foreign page with 403', async () => {
    const client = await registerAndLogin(t.app);
    const bad = await post('/user/passkeys/registration', client, { credential: { id: 'x', response: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.length).toBeGreaterThan(0);
    const { authenticator } = await withPasskey();
    const credential = authenticator.get(await requestOptions());
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/user/auth/passkey',
      payload: { credential },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
  });
});
