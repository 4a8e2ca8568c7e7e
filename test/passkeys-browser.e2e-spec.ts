import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, CDPSession, Page } from 'playwright-core';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium } from './support/chromium';
import { ControlledClock } from './support/controlled-clock';
import { REAUTH_MAX_AGE_MS } from './support/step-up';
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
  const options = await call('/user/passkeys/registration/options');
  // 403 with code "reauthentication_required": the sign-in is too old; reauthenticate, then try again.
  if (options.status !== 200) return options;
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.body) });
  return call('/user/passkeys/registration', { credential: credential.toJSON(), name });
}
async function reauthenticate(password) {
  return call('/user/auth/reauthenticate', { password });
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
  const clock = new ControlledClock();

  beforeAll(async () => {
    const port = await sparePort();
    const apiOrigin = `http://localhost:${port}`;
    app = await servePage(apiOrigin);
    // No WEBAUTHN_* settings: the RP ID is APP_URL's host (localhost, a secure context over http) and
    // the page's origin is accepted because it is in CORS_ORIGINS.
    t = await startTestApp({ clock, env: { APP_URL: apiOrigin, CORS_ORIGINS: JSON.stringify([app.origin]) } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
    ({ page } = await pageWithAuthenticator(browser, app.origin));
  });
  afterEach(() => clock.reset());

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    app?.server.close();
  });

  const run = (script: string, on: Page = page): Promise<Answer> => on.evaluate(script) as Promise<Answer>;

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

  it('adds a passkey right after sign-in; past REAUTH_MAX_AGE_SECONDS it answers 403 until the user reauthenticates', async () => {
    const { page: own, devtools, authenticatorId } = await pageWithAuthenticator(browser, app.origin);
    const email = uniqueEmail('browser-step-up');
    const account = { email, password: STRONG_PASSWORD, firstName: 'Step', lastName: 'Up' };
    expect((await run(`call('/user/auth/register', ${JSON.stringify(account)})`, own)).status).toBe(201);
    expect(
      (await run(`call('/user/auth/login', ${JSON.stringify({ email, password: STRONG_PASSWORD })})`, own)).status,
    ).toBe(200);
    expect((await run(`addPasskey('Right after sign-in')`, own)).status).toBe(201);

    clock.advance(REAUTH_MAX_AGE_MS + 1000);
    const refused = await run(`addPasskey('Too late')`, own);
    expect(refused).toMatchObject({ status: 403, body: { code: 'reauthentication_required' } });

    const reauthenticated = await run(`reauthenticate(${JSON.stringify(STRONG_PASSWORD)})`, own);
    expect(reauthenticated).toMatchObject({ status: 200, body: { authenticatedAt: expect.any(String) } });
    // A second device: this authenticator already holds the account's passkey (excluded by the options).
    await devtools.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await addVirtualAuthenticator(devtools);
    expect(await run(`addPasskey('After reauthenticating')`, own)).toMatchObject({
      status: 201,
      body: { name: 'After reauthenticating' },
    });
    const me = await own.evaluate(`fetch(API + '/user/me', { credentials: 'include' }).then((r) => r.json())`);
    expect(me).toMatchObject({ email, passkeyCount: 2 });
  });
});

async function addVirtualAuthenticator(devtools: CDPSession): Promise<string> {
  const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return authenticatorId;
}

/** A page of the single-page app in a browser context of its own, with one virtual platform authenticator. */
async function pageWithAuthenticator(
  browser: Browser,
  origin: string,
): Promise<{ page: Page; devtools: CDPSession; authenticatorId: string }> {
  const page = await (await browser.newContext()).newPage();
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  const authenticatorId = await addVirtualAuthenticator(devtools);
  await page.goto(`${origin}/`);
  return { page, devtools, authenticatorId };
}
