import { randomUUID } from 'node:crypto';
import { Browser } from 'playwright-core';
import { uniqueEmail } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium } from './support/chromium';
import { get } from './support/http';
import { OidcTestProvider } from './support/oidc-test-provider';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The whole round trip in headless Chromium, the service on `localhost` and the provider on
 * `127.0.0.1` (two sites): the SameSite=Lax flow cookie comes back on the provider's top-level redirect,
 * and the browser ends on returnTo signed in, its flow cookie cleared.
 */
describe('sign-in with an OpenID provider in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let appUrl: string;
  const provider = new OidcTestProvider();

  beforeAll(async () => {
    const port = await sparePort();
    appUrl = `http://localhost:${port}`;
    await provider.start([`${appUrl}/user/auth/oidc/test/callback`]);
    t = await startTestApp({
      env: { APP_URL: appUrl, OIDC_PROVIDERS: JSON.stringify([provider.setting('test', 'Test')]) },
    });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider.stop();
  });

  it('comes back from the provider to returnTo, signed in, with the flow cookie spent', async () => {
    const email = uniqueEmail('browser');
    provider.next = { sub: randomUUID(), email, email_verified: true, given_name: 'Chromium' };
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${appUrl}/user/auth/oidc/test/authorize?returnTo=%2Fhealth`);
    expect(page.url()).toBe(`${appUrl}/health`);
    expect(response?.status()).toBe(200);
    const cookies = await context.cookies(appUrl);
    const session = cookies.find((cookie) => cookie.name === 'user_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookies.find((cookie) => cookie.name === 'oidc_flow')).toBeUndefined();
    const me = await get(t.app, '/user/me', { authorization: `Bearer ${session!.value}` });
    expect(me.json()).toMatchObject({ email, firstName: 'Chromium', emailVerified: true });
    await context.close();
  });
});
