import { Browser, Page } from 'playwright-core';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium, PageProblems, watch } from './support/chromium';
import { mailedLink } from './support/mail-log';
import { startTestApp, TestApp } from './support/test-app';

/** Setup calls come from another address, so that the browser's own calls alone spend its rate limits. */
const SETUP_ADDRESS = '203.0.113.50';
const NEW_PASSWORD = 'An0ther-Long-Passphrase';

/**
 * A person clicking the links in mail.log, in headless Chromium, with the rate limits on: each page
 * loads nothing but itself, runs under its own strict CSP, and completes its step only when its button
 * is pressed.
 */
describe('The mailed links opened in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    const port = await sparePort();
    t = await startTestApp({ env: { APP_URL: `http://127.0.0.1:${port}`, RATE_LIMIT_ENABLED: 'true' } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function registered(): Promise<string> {
    const email = uniqueEmail('browser');
    const payload = { firstName: 'Jo', lastName: 'Roe', email, password: STRONG_PASSWORD };
    const res = await t.app.inject({
      method: 'POST',
      url: '/user/auth/register',
      remoteAddress: SETUP_ADDRESS,
      payload,
    });
    expect(res.statusCode).toBe(201);
    return email;
  }

  async function verifiedAt(email: string): Promise<Date | null> {
    const rows = (await t.dataSource.query('SELECT email_verified_at FROM users WHERE email = $1', [email])) as {
      email_verified_at: Date | null;
    }[];
    return rows[0].email_verified_at;
  }

  /** Opens a link, noting every request the page makes and everything that would show it broken. */
  async function open(link: string): Promise<{ page: Page; problems: PageProblems; requests: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const problems = await watch(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await page.goto(link, { waitUntil: 'networkidle' });
    return { page, problems, requests };
  }

  const status = (page: Page) => page.locator('#status');

  it('confirms the address when the button is pressed, never on load', async () => {
    const email = await registered();
    const link = await mailedLink(t.logDir, email, 'verify_email');
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/verify-email\\?token=`));

    const { page, problems, requests } = await open(link);
    expect(await page.title()).toMatch(/^Confirm your email address/);
    // Loaded (as a mail scanner would): the page alone, and nothing changed.
    await page.waitForTimeout(300);
    expect(requests).toEqual(['GET /verify-email']);
    expect(await verifiedAt(email)).toBeNull();

    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await status(page).filter({ hasText: 'confirmed' }).waitFor();
    expect(await verifiedAt(email)).toBeInstanceOf(Date);
    expect(requests).toEqual(['GET /verify-email', 'POST /user/auth/verify-email']);
    expect(await page.locator('form').isHidden()).toBe(true);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });

    // The token is spent: the same link's button now says so.
    const again = await open(link);
    await again.page.getByRole('button', { name: 'Confirm my email address' }).click();
    await status(again.page).filter({ hasText: 'invalid or has expired' }).waitFor();
    await page.context().close();
    await again.page.context().close();
  });

  it('sets the new password when the button is pressed, saying why a refused one was refused', async () => {
    const email = await registered();
    const forgot = await t.app.inject({
      method: 'POST',
      url: '/user/auth/forgot-password',
      remoteAddress: SETUP_ADDRESS,
      payload: { email },
    });
    expect(forgot.statusCode).toBe(202);
    const link = await mailedLink(t.logDir, email, 'reset_password');
    const { page, problems, requests } = await open(link);
    expect(await page.title()).toMatch(/^Choose a new password/);
    const [first, second] = [
      page.getByLabel('New password', { exact: true }),
      page.getByLabel('The new password again'),
    ];
    const submit = page.getByRole('button', { name: 'Set the new password' });

    // Two different entries: said on the page, nothing sent.
    await first.fill(NEW_PASSWORD);
    await second.fill(`${NEW_PASSWORD}x`);
    await submit.click();
    await status(page).filter({ hasText: 'differ' }).waitFor();
    // A password the policy refuses: its reason shown, and the token stays valid.
    await first.fill('password');
    await second.fill('password');
    await submit.click();
    await status(page)
      .filter({ hasText: /password/i })
      .waitFor();
    await first.fill(NEW_PASSWORD);
    await second.fill(NEW_PASSWORD);
    await submit.click();
    await status(page).filter({ hasText: 'password is changed' }).waitFor();

    expect(requests).toEqual([
      'GET /reset-password',
      'POST /user/auth/reset-password',
      'POST /user/auth/reset-password',
    ]);
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/user/auth/login',
        remoteAddress: SETUP_ADDRESS,
        payload: { email, password },
      });
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
    expect((await login(STRONG_PASSWORD)).statusCode).toBe(401);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    // The one refused attempt is the browser's only failed request (Chromium also logs it to the console).
    expect(problems.failedRequests).toEqual([expect.stringMatching(/\/user\/auth\/reset-password 400$/)]);
    for (const error of problems.consoleErrors) expect(error).toMatch(/status of 400/);
    await page.context().close();
  });

  it('says that a link without its token cannot work, and offers no button to press', async () => {
    const { page, problems } = await open(
      `${new URL(await mailedLink(t.logDir, await registered(), 'verify_email')).origin}/verify-email`,
    );
    await status(page).filter({ hasText: 'no token' }).waitFor();
    expect(await page.getByRole('button', { name: 'Confirm my email address' }).isDisabled()).toBe(true);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    await page.context().close();
  });
});
