import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { launchChromium, watch } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('API documentation in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let operations: string[];
  let operationIds: string[];

  beforeAll(async () => {
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
    browser = await launchChromium();
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

  it("shows Swagger UI's tags in the journey's order and says how to authorize, in the modal too", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/docs`);
    await page.waitForSelector('.opblock-tag', { timeout: 20_000 });
    const tags = await page.$$eval('.opblock-tag', (elements) => elements.map((e) => e.getAttribute('data-tag')));
    expect(tags.slice(0, 3)).toEqual(['Authentication', 'Current user', 'Sessions']);
    expect(tags.indexOf('Health')).toBeGreaterThan(tags.indexOf('Administration'));
    expect(await page.locator('.info .description').innerText()).toMatch(
      /How to authorize here.*paste it under bearer.*cookies?.*login from this page/s,
    );
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    expect(await page.locator('.modal-ux').innerText()).toMatch(/a value typed in here is never sent/);
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
