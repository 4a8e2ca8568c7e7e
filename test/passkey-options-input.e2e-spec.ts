import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { registerAndLogin } from './support/accounts';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

const OPTIONS_URL = '/user/auth/passkey/options';

describe('passkey sign-in options and challenges: validated input, one answer for everyone', () => {
  let t: TestApp;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
  });
  afterAll(() => t.close());

  /** A raw JSON body, so that arrays, strings, numbers and null can be sent as the whole body. */
  const postJson = (url: string, json: string, headers: Record<string, string> = {}) =>
    post(t.app, url, json, { 'content-type': 'application/json', ...headers });

  it('refuses an email of the wrong type with 400 naming the field, never 500', async () => {
    for (const email of [123, [], {}, true, ['a@example.com']]) {
      const res = await postJson(OPTIONS_URL, JSON.stringify({ email }));
      expect({ email, status: res.statusCode }).toEqual({ email, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    }
  });

  it('refuses an email that is not an address, or of a million characters', async () => {
    for (const email of ['not-an-email', `${'a'.repeat(1_000_000)}@example.com`, 'a\u200b@example.com']) {
      const res = await postJson(OPTIONS_URL, JSON.stringify({ email }));
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    }
  });

  it('refuses a body that is not an object, null included; an absent or empty body is fine', async () => {
    for (const json of ['[]', '"x"', '1', 'true', 'null', '[{"email":"a@example.com"}]']) {
      const res = await postJson(OPTIONS_URL, json);
      expect({ json, status: res.statusCode }).toEqual({ json, status: 400 });
      expect(res.json().errors).toEqual([{ field: 'body', message: 'the body must be an object' }]);
    }
    expect((await post(t.app, OPTIONS_URL)).statusCode).toBe(200);
    expect((await postJson(OPTIONS_URL, '{}')).statusCode).toBe(200);
  });

  it('answers the same options whatever the email: an empty allow list, user verification required', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const withoutPasskey = await registerAndLogin(t.app);
    const shape = (options: PublicKeyCredentialRequestOptionsJSON) => ({ ...options, challenge: undefined });
    const answers = [
      await calls.requestOptions(client.email),
      await calls.requestOptions(withoutPasskey.email),
      await calls.requestOptions('nobody-here@example.com'),
      await calls.requestOptions(),
    ];
    for (const options of answers) {
      expect(options).toMatchObject({ rpId: 'example.com', allowCredentials: [], userVerification: 'required' });
      expect(shape(options)).toEqual(shape(answers[3]));
    }
    expect(new Set(answers.map((options) => options.challenge)).size).toBe(answers.length);
    // Options asked for with an email still sign in: the passkey is discoverable.
    const signedIn = await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(answers[0]) });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.id).toBe(client.userId);
  });

  it('refuses a challenge holding a NUL with 400, at sign-in and at registration, before any query', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const nul = { ...(await calls.requestOptions()), challenge: '\u0000' };
    const signIn = await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(nul) });
    expect(signIn.statusCode).toBe(400);
    expect(signIn.headers['content-type']).toMatch(/^application\/problem\+json/);

    const creation = { ...(await calls.creationOptions(client)), challenge: 'abc\u0000' };
    const credential = new SoftwareAuthenticator(APP_ORIGIN).create(creation);
    const registration = await calls.post('/user/passkeys/registration', client, { credential });
    expect(registration.statusCode).toBe(400);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 1 });
  });

  it('refuses a well-formed challenge it never issued with 400', async () => {
    const { client, authenticator } = await calls.withPasskey();
    const unknown = { ...(await calls.requestOptions()), challenge: 'bm90LWlzc3VlZC1ieS10aGlzLXNlcnZpY2U' };
    expect(
      (await calls.post('/user/auth/passkey', undefined, { credential: authenticator.get(unknown) })).statusCode,
    ).toBe(400);
    const creation = { ...(await calls.creationOptions(client)), challenge: 'bm90LWlzc3VlZC1ieS10aGlzLXNlcnZpY2U' };
    const credential = new SoftwareAuthenticator(APP_ORIGIN).create(creation);
    expect((await calls.post('/user/passkeys/registration', client, { credential })).statusCode).toBe(400);
  });

  it('refuses a NUL anywhere in a credential with 400 naming the field, and stores nothing', async () => {
    const client = await registerAndLogin(t.app);
    const credential = new SoftwareAuthenticator(APP_ORIGIN).create(await calls.creationOptions(client));
    const transports = { ...credential, response: { ...credential.response, transports: ['internal\u0000'] } };
    const res = await calls.post('/user/passkeys/registration', client, { credential: transports });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'credential.response.transports.0', message: expect.stringMatching(/NUL/) },
    ]);
    const extension = { ...credential, clientExtensionResults: { 'x\u0000': 1 } };
    expect((await calls.post('/user/passkeys/registration', client, { credential: extension })).statusCode).toBe(400);
    expect((await calls.me(client)).json()).toMatchObject({ passkeyCount: 0 });
  });
});
