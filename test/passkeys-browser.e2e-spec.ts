import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

interface Answer {
  status: number;
  body?: { [field: string]: unknown };
}

/**
 * The front end's whole passkey code: options from the service, the browser's ceremony, toJSON() back.
 * It is what the README shows; the test calls these functions in a real Chromium.
 */
const FRONT_END = `
async function call(path, body) {
  const init = { method: 'POST', credentials: 'include' };
  if (body !== undefined) Object.assign(init, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const response = await fetch(API + path, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
async function addPasskey(name) {
  const { body: options } = await call('/user/passkeys/registration/options');
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
  return call('/user/passkeys/registration', { credential: credential.toJSON(), name });
}
async function signInWithPasskey() {
  const { body: options } = await call('/user/auth/passkey/options', {});
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  window.lastAssertion = credential.toJSON();
  return call('/user/auth/passkey', { credential: window.lastAssertion });
}
async function replayLastAssertion() {
  return call('/user/auth/passkey', { credential: window.lastAssertion });
}
`;

/** The single-page app, on an origin in CORS_ORIGINS (and so in the default WEBAUTHN_ORIGINS). */
async function servePage(apiOrigin: string): Promise<{ server: Server; origin: string }> {
  const html = `<!doctype html><title>app</title><script>const API = ${JSON.stringify(apiOrigin)};${FRONT_END}</script>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

describe('passkeys in a real browser (Chromium with the DevTools virtual authenticator)', () => {
  let t: TestApp;
  let browser: Browser;
  let app: { server: Server; origin: string };
  let page: Page;

  beforeAll(async () => {
    const port = await sparePort();
    const apiOrigin = `http://localhost:${port}`;
    app = await servePage(apiOrigin);
    // No WEBAUTHN_* settings: the RP ID is APP_URL's host (localhost, a secure context over http) and
    // the page's origin is accepted because it is in CORS_ORIGINS.
    t = await startTestApp({ env: { APP_URL: apiOrigin, CORS_ORIGINS: JSON.stringify([app.origin]) } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('WebAuthn.enable');
    await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    await page.goto(`${app.origin}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    app?.server.close();
  });

  const run = (script: string): Promise<Answer> => page.evaluate(script) as Promise<Answer>;

  it('registers a passkey, signs out, signs in with it without an email, and refuses a replayed assertion', async () => {
    const email = uniqueEmail('browser-passkey');
    const account = { email, password: STRONG_PASSWORD, firstName: 'Pat', lastName: 'Key' };
    expect((await run(`call('/user/auth/register', ${JSON.stringify(account)})`)).status).toBe(201);
    const login = await run(`call('/user/auth/login', ${JSON.stringify({ email, password: STRONG_PASSWORD })})`);
    expect(login.status).toBe(200);

    const added = await run(`addPasskey('Chromium virtual authenticator')`);
    expect(added).toMatchObject({
      status: 201,
      body: { name: 'Chromium virtual authenticator', transports: expect.arrayContaining(['internal']) },
    });

    expect((await run(`call('/user/auth/logout')`)).status).toBe(204);
    expect(
      (await page.evaluate(`fetch(API + '/user/me', { credentials: 'include' }).then((r) => r.status)`)) as number,
    ).toBe(401);

    const signedIn = await run('signInWithPasskey()');
    expect(signedIn).toMatchObject({ status: 200, body: { tokenType: 'Bearer', user: { email, passkeyCount: 1 } } });
    const me = await page.evaluate(`fetch(API + '/user/me', { credentials: 'include' }).then((r) => r.json())`);
    expect(me).toMatchObject({ email, passkeyCount: 1 });

    const replay = await run('replayLastAssertion()');
    expect(replay.status).toBe(400);
    expect(await t.waitForLog('security.log', /passkey_signed_in/)).toMatch(/"event_type":"passkey_signed_in"/);
  });
});
