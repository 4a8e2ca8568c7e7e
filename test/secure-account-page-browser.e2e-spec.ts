import { Browser } from 'playwright-core';
import { bearer, registerAndLogin, STRONG_PASSWORD } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium, watch } from './support/chromium';
import { waitForMail } from './support/mail-log';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

const NEW_PASSWORD = 'An0ther-Long-Passphrase';

/**
 * The "this wasn't me" link of a security notification, opened in headless Chromium: loading the page
 * (as a mail scanner does) changes nothing; pressing its button ends every session and mails a reset.
 */
describe('The secure-account link opened in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    const port = await sparePort();
    t = await startTestApp({ env: { APP_URL: `http://127.0.0.1:${port}` } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('secures the account when the button is pressed, never on load', async () => {
    const owner = await registerAndLogin(t.app);
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
      bearer(owner.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    const session = (changed.json() as { accessToken: string }).accessToken;
    const mail = await waitForMail(t.logDir, (m) => m.to === owner.email && m.event === 'password_changed');
    expect(mail.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/secure-account\?token=/);

    const page = await (await browser.newContext()).newPage();
    const problems = await watch(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await page.goto(mail.link as string, { waitUntil: 'networkidle' });
    expect(await page.title()).toMatch(/^Secure your account/);
    await page.waitForTimeout(300);
    expect(requests).toEqual(['GET /secure-account']);
    const me = () => get(t.app, '/user/me', bearer(session));
    expect((await me()).statusCode).toBe(200);

    await page.getByRole('button', { name: 'This was not me: secure my account' }).click();
    await page.locator('#status').filter({ hasText: 'secured' }).waitFor();
    expect(requests).toEqual(['GET /secure-account', 'POST /user/auth/secure-account']);
    expect((await me()).statusCode).toBe(401);
    await waitForMail(t.logDir, (m) => m.to === owner.email && m.purpose === 'reset_password');
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    await page.context().close();
  });
});
