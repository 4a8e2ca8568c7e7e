import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';

/** Browsers a machine may already have; CHROMIUM_PATH, when set, comes before them. */
const INSTALLED = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
// Our own flags, not @sparticuz/chromium's: its set disables web security, which the CORS and CSRF
// tests rely on.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The Chromium build shipped inside the @sparticuz/chromium npm package, unpacked on first use. The
 * package is ESM-only, which Jest's module loader cannot require, so a plain Node process unpacks it.
 */
async function packagedChromium(): Promise<string> {
  const script = "const { default: c } = await import('@sparticuz/chromium'); console.log(await c.executablePath());";
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: __dirname,
  });
  return stdout.trim();
}

let executable: Promise<string> | undefined;

/** CHROMIUM_PATH, else an installed Chromium or Chrome, else the one that `npm ci` brought. */
export function chromiumExecutable(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) return Promise.reject(new Error(`CHROMIUM_PATH ${chosen} does not exist`));
    return Promise.resolve(chosen);
  }
  const installed = INSTALLED.find((path) => existsSync(path));
  executable ??= installed ? Promise.resolve(installed) : packagedChromium();
  return executable;
}

/** Headless Chromium; a browser that cannot start fails the test rather than skipping it. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS, headless: true });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  cspViolations(): Promise<string[]>;
}

/**
 * The little of the browser's window that the page scripts below touch. The tests compile without the
 * DOM library (they run in Node), so these callbacks, which run in the page, name what they use.
 */
interface PageWindow {
  cspViolations: string[];
  document: {
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
}

/** Collects everything that would show a broken page: console errors, exceptions, CSP reports, 4xx/5xx. */
export async function watch(page: Page): Promise<PageProblems> {
  const problems = { consoleErrors: [] as string[], pageErrors: [] as string[], failedRequests: [] as string[] };
  await page.addInitScript(() => {
    const pageWindow = globalThis as unknown as PageWindow;
    const seen: string[] = [];
    pageWindow.cspViolations = seen;
    pageWindow.document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} at ${message.location().url}`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('requestfailed', (request) =>
    problems.failedRequests.push(`${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()} ${response.status()}`);
  });
  return {
    ...problems,
    cspViolations: () => page.evaluate(() => (globalThis as unknown as PageWindow).cspViolations),
  };
}
