import { Browser, Locator, Page } from 'playwright-core';
import { register } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium, watch } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

/** Swagger UI draws lazily and the first Execute waits on bcrypt: generous, since CI machines are busy. */
const UI_TIMEOUT = 20_000;

/** One operation's block in Swagger UI, expanded and switched to "Try it out". */
async function tryItOut(page: Page, method: 'get' | 'post', path: string): Promise<Locator> {
  const block = page.locator(`.opblock-${method}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
  await block.locator('.opblock-summary-path').click({ timeout: UI_TIMEOUT });
  await block.getByRole('button', { name: 'Try it out' }).click({ timeout: UI_TIMEOUT });
  return block;
}

/**
 * Clicks Execute and waits for the live response Swagger UI shows, then reads its status and body. A
 * request that never got an answer shows a status with no body, so the body is read without waiting.
 */
async function execute(block: Locator): Promise<{ status: string; body: string }> {
  await block.getByRole('button', { name: 'Execute' }).click({ timeout: UI_TIMEOUT });
  const response = block.locator('.live-responses-table .response');
  const status = response.locator('.response-col_status');
  await status.waitFor({ timeout: UI_TIMEOUT });
  // The response body comes first, the response headers after it, both in pre.microlight.
  const body = response.locator('.response-col_description pre.microlight').first();
  return {
    status: (await status.innerText()).trim(),
    body: (await body.count()) > 0 ? await body.innerText() : await response.innerText(),
  };
}

describe('Swagger UI "Try it out" in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    // Swagger UI sends "Try it out" requests to the document's server, which is APP_URL (else
    // http://localhost:PORT), and the CSRF check trusts APP_URL's origin. Both must be the origin the
    // browser really uses, so the port is chosen before the app starts and named in APP_URL.
    const port = await sparePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await startTestApp({ env: { APP_URL: baseUrl } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs in from the page, which sets the session cookie, and a following GET /user/me succeeds', async () => {
    const user = await register(t.app);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await watch(page);
    await page.goto(`${baseUrl}/docs`);

    const login = await tryItOut(page, 'post', '/user/auth/login');
    await login
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ email: user.email, password: user.password }), { timeout: UI_TIMEOUT });
    const loggedIn = await execute(login);
    expect(loggedIn).toMatchObject({ status: '200' });
    expect(JSON.parse(loggedIn.body)).toMatchObject({ user: { email: user.email }, tokenType: 'Bearer' });
    const session = (await context.cookies(baseUrl)).find((cookie) => cookie.name === 'user_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    // No Authorize step: the browser itself sends the HttpOnly cookie, since Swagger UI uses withCredentials.
    const me = await execute(await tryItOut(page, 'get', '/user/me'));
    expect(me).toMatchObject({ status: '200' });
    expect(JSON.parse(me.body)).toMatchObject({ id: user.id, email: user.email });

    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    await context.close();
  });
});
