import { RegistrationResponseJSON } from '@simplewebauthn/server';
import { bearer, login, registerAndLogin, SignedInClient } from './support/accounts';
import { junkPublicKeys } from './support/cose-keys';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { CeremonyOverrides, SoftwareAuthenticator } from './support/software-authenticator';
import { startTestApp, TestApp } from './support/test-app';
import { patch } from './support/http';

/** A credential as a hostile client would send it: built by the authenticator, then tampered with. */
interface Junk {
  overrides?: CeremonyOverrides;
  tamper?: (credential: RegistrationResponseJSON) => void;
  name?: string;
}

const ANOTHER_ID = Buffer.alloc(32, 7).toString('base64url');

const JUNK: Record<string, Junk> = {
  ...Object.fromEntries(
    Object.entries(junkPublicKeys()).map(([label, cosePublicKey]) => [label, { overrides: { cosePublicKey } }]),
  ),
  'id and rawId other than the credential id in authData': {
    tamper: (credential) => Object.assign(credential, { id: ANOTHER_ID, rawId: ANOTHER_ID }),
  },
  'transports: ["<script>"]': { tamper: (credential) => (credential.response.transports = ['<script>' as never]) },
  'a name with U+202E (right-to-left override)': { name: 'Work \u202Eyek' },
  'a name with U+200B (zero-width space)': { name: 'Work\u200Bkey' },
  'crossOrigin: true with a foreign topOrigin': {
    overrides: { crossOrigin: true, topOrigin: 'https://evil.example' },
  },
  'no user verification (a security key without PIN)': { overrides: { userVerified: false } },
};

describe('passkey registration refuses malformed credentials and requires user verification', () => {
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());

  const passkeyCount = async (client: SignedInClient): Promise<number> =>
    ((await calls.me(client)).json() as { passkeyCount: number }).passkeyCount;

  it.each(Object.entries(JUNK))('refuses %s with 400, storing nothing and ending no session', async (_label, junk) => {
    const client = await registerAndLogin(t.app);
    const other = await login(t.app, client);
    const credential = new SoftwareAuthenticator(APP_ORIGIN).create(
      await calls.creationOptions(client),
      junk.overrides,
    );
    junk.tamper?.(credential);

    const res = await calls.post('/user/passkeys/registration', client, { credential, name: junk.name });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await passkeyCount(client)).toBe(0);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM passkeys WHERE user_id = $1`, [
      client.userId,
    ]);
    expect(rows).toEqual([{ n: 0 }]);
    expect((await calls.me(other)).statusCode).toBe(200);
    const mails = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE recipient = $1 AND event = 'passkey_added'`,
      [client.email],
    );
    expect(mails).toEqual([{ n: 0 }]);
  });

  it('still registers a well-formed, user-verified passkey', async () => {
    const { client, passkey } = await calls.withPasskey();
    expect(passkey.transports).toEqual(['internal', 'hybrid']);
    expect(await passkeyCount(client)).toBe(1);
  });

  it('refuses a sign-in asserted without user verification with 401, and asks for it in the options', async () => {
    const { authenticator } = await calls.withPasskey();
    const options = await calls.requestOptions();
    expect(options.userVerification).toBe('required');
    const unverified = await calls.post('/user/auth/passkey', undefined, {
      credential: authenticator.get(options, { userVerified: false }),
    });
    expect(unverified.statusCode).toBe(401);
    expect(unverified.json()).not.toHaveProperty('accessToken');
    expect((await calls.signIn(authenticator)).statusCode).toBe(200);
  });

  it('refuses a passkey name with invisible characters when renaming too', async () => {
    const { client, passkey } = await calls.withPasskey();
    const res = await patch(
      t.app,
      `/user/passkeys/${passkey.id}`,
      { name: 'Laptop\u202E' },
      bearer(client.accessToken),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ field: 'name' }] });
  });
});
