import { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from './support/test-app';

/** Debian's chromium, installed by .ci/run; playwright's own browser download cannot work here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  cspViolations(): Promise<string[]>;
}

/** Collects everything that would show a broken page: console errors, exceptions, CSP reports, 4xx/5xx. */
async function watch(page: Page): Promise<PageProblems> {
  const problems = { consoleErrors: [] as string[], pageErrors: [] as string[], failedRequests: [] as string[] };
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
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
    cspViolations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

describe('API documentation in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let operations: string[];
  let operationIds: string[];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    operations = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((k) => HTTP_METHODS.includes(k))
          .map((m) => `${m} ${path}`),
      )
      .sort();
    operationIds = Object.values(document.paths)
      .flatMap((item) => HTTP_METHODS.flatMap((method) => item[method]?.operationId ?? []))
      .sort();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation in Swagger UI at /docs, with no CSP violation or console error', async () => {
    const page = await browser.newPage();
    const problems = await watch(page);
    await page.goto(`${baseUrl}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const rendered = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.toLowerCase() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(operations.length).toBeGreaterThan(10);
    expect([...new Set(rendered)].sort()).toEqual(operations);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    await page.close();
  });

  it('renders every operation in ReDoc at /redoc, with no CSP violation or console error', async () => {
    const page = await browser.newPage();
    const problems = await watch(page);
    await page.goto(`${baseUrl}/redoc`);
    await page.waitForSelector('[data-section-id*="operation/"]', { timeout: 30_000 });
    const sections = await page.$$eval('[data-section-id*="operation/"]', (elements) =>
      elements.map((element) => element.getAttribute('data-section-id')),
    );
    // Each operation's section, by operationId (ReDoc also marks a copy under its tag).
    const rendered = sections.flatMap((id) => (id?.startsWith('operation/') ? [id.slice('operation/'.length)] : []));
    expect(operationIds).toHaveLength(operations.length);
    expect(rendered.sort()).toEqual(operationIds);
    expect(await page.title()).toMatch(/ReDoc/);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems).toMatchObject({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    await page.close();
  });
});
