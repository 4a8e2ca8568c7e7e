import { bearer, login, register, registerAndLogin, SignedInClient } from './support/accounts';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { startTestApp, TestApp } from './support/test-app';
import { del, get, patch } from './support/http';

describe('passkey registration and management (software authenticator)', () => {
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());

  it('offers creation options for this relying party: resident key and user verification required', async () => {
    const client = await registerAndLogin(t.app);
    const options = await calls.creationOptions(client);
    expect(options.rp).toEqual({ id: 'example.com', name: 'ClickBit Test' });
    expect(options.user.name).toBe(client.email);
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(client.userId.replace(/-/g, ''));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.excludeCredentials).toEqual([]);
    expect(options.pubKeyCredParams.map((param) => param.alg)).toContain(-7);
  });

  it('registers a passkey, lists it, counts it on the user, and excludes it from the next options', async () => {
    const { client, passkey } = await calls.withPasskey();
    expect(passkey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Passkey',
      createdAt: expect.any(String),
      lastUsedAt: null,
      backedUp: false,
      transports: ['internal', 'hybrid'],
    });
    const list = await get(t.app, '/user/passkeys', bearer(client.accessToken));
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([passkey]);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 1 });

    const again = await calls.creationOptions(client);
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
    const first = await calls.addPasskey(client, authenticator, 'Laptop');
    expect(first.name).toBe('Laptop');
    const stranger = await registerAndLogin(t.app);

    const rename = (who: SignedInClient, id: string, name: unknown) =>
      patch(t.app, `/user/passkeys/${id}`, { name }, bearer(who.accessToken));
    const renamed = await rename(client, first.id, '  Work laptop ');
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: first.id, name: 'Work laptop' });
    expect((await rename(client, first.id, '')).statusCode).toBe(400);
    expect((await rename(stranger, first.id, 'Mine now')).statusCode).toBe(404);
    expect((await rename(client, 'not-a-uuid', 'x')).statusCode).toBe(400);

    const remove = (who: SignedInClient, id: string) => del(t.app, `/user/passkeys/${id}`, bearer(who.accessToken));
    expect((await remove(stranger, first.id)).statusCode).toBe(404);
    expect((await remove(client, 'not-a-uuid')).statusCode).toBe(400);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 1 });
    expect((await remove(client, first.id)).statusCode).toBe(204);
    expect((await remove(client, first.id)).statusCode).toBe(404);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 0 });
    const list = await get(t.app, '/user/passkeys', bearer(client.accessToken));
    expect(list.json()).toEqual([]);
    expect(await t.waitForLog('security.log', /passkey_removed/)).toMatch(/"event_type":"passkey_removed"/);
  });

  it('ends every other session of the user when a passkey is added or removed, and keeps the caller’s', async () => {
    const credentials = await register(t.app);
    const caller = await login(t.app, credentials);
    const other = await login(t.app, credentials);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const passkey = await calls.addPasskey(caller, authenticator);
    expect((await calls.me(other)).statusCode).toBe(401);
    expect((await calls.post('/user/auth/refresh', undefined, { refreshToken: other.refreshToken })).statusCode).toBe(
      401,
    );
    expect((await calls.me(caller)).statusCode).toBe(200);

    const third = await login(t.app, credentials);
    const removed = await del(t.app, `/user/passkeys/${passkey.id}`, bearer(caller.accessToken));
    expect(removed.statusCode).toBe(204);
    expect((await calls.me(third)).statusCode).toBe(401);
    expect((await calls.me(caller)).statusCode).toBe(200);
  });

  it('refuses a registration challenge of another user: 400, and it stays usable by its owner', async () => {
    const owner = await registerAndLogin(t.app);
    const thief = await registerAndLogin(t.app);
    const options = await calls.creationOptions(owner);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const credential = authenticator.create(options);
    expect((await calls.post('/user/passkeys/registration', thief, { credential })).statusCode).toBe(400);
    expect((await calls.post('/user/passkeys/registration', owner, { credential })).statusCode).toBe(201);
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
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
