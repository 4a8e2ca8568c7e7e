import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's chromium, installed by .ci/run; playwright's own browser download cannot work here. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Headless Debian chromium. A missing browser fails the test rather than skipping it: CI installs it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
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
