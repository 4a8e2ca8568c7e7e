import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { sparePort } from './support/built-app-process';
import { launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

/** What a page's fetch saw: the status and parsed body, or the network error a refused CORS call gives. */
interface FetchResult {
  status?: number;
  body?: unknown;
  error?: string;
}

interface FetchInit {
  method?: string;
  body?: unknown;
  bearer?: string;
}

/** A blank page served from its own origin: the single-page app that calls the service. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

/** fetch() inside the page, with credentials: 'include', as a front end calls the service. */
function callFrom(page: Page, apiOrigin: string) {
  return (path: string, init: FetchInit = {}): Promise<FetchResult> =>
    page.evaluate(
      async ({ url, method, body, bearer }) => {
        const headers: Record<string, string> = {};
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        if (bearer) headers.Authorization = `Bearer ${bearer}`;
        try {
          const response = await fetch(url, {
            method,
            headers,
            credentials: 'include',
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await response.text();
          return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url: `${apiOrigin}${path}`, method: init.method ?? 'GET', body: init.body, bearer: init.bearer },
    );
}

describe('A single-page app on another origin of the same site, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let allowedPage: { server: Server; origin: string };
  let foreignPage: { server: Server; origin: string };
  let apiOrigin: string;

  beforeAll(async () => {
    allowedPage = await servePage();
    foreignPage = await servePage();
    const port = await sparePort();
    apiOrigin = `http://localhost:${port}`;
    t = await startTestApp({ env: { APP_URL: apiOrigin, CORS_ORIGINS: JSON.stringify([allowedPage.origin]) } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    allowedPage?.server.close();
    foreignPage?.server.close();
  });

  async function openPage(origin: string): Promise<{ page: Page; call: ReturnType<typeof callFrom> }> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    return { page, call: callFrom(page, apiOrigin) };
  }

  it('runs the whole account lifecycle by cookie: login, me, PATCH, sessions, revoke one, refresh, logout, DELETE', async () => {
    const { page, call } = await openPage(allowedPage.origin);
    const email = uniqueEmail('spa');
    const credentials = { email, password: STRONG_PASSWORD };
    expect(
      (await call('/user/auth/register', { method: 'POST', body: { ...credentials, firstName: 'A', lastName: 'B' } }))
        .status,
    ).toBe(201);
    // A second session, from another client, for the page to revoke.
    const other = await post(t.app, '/user/auth/login', credentials);
    expect(other.statusCode).toBe(200);

    expect((await call('/user/auth/login', { method: 'POST', body: credentials })).status).toBe(200);
    expect(await call('/user/me')).toMatchObject({ status: 200, body: { email } });
    expect(await call('/user/me', { method: 'PATCH', body: { firstName: 'Edited' } })).toMatchObject({
      status: 200,
      body: { firstName: 'Edited' },
    });
    const sessions = await call('/user/sessions');
    expect(sessions.status).toBe(200);
    const list = sessions.body as { id: string; current: boolean }[];
    expect(list).toHaveLength(2);
    const notCurrent = list.find((session) => !session.current);
    expect((await call(`/user/sessions/${notCurrent?.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(((await call('/user/sessions')).body as unknown[]).length).toBe(1);

    expect((await call('/user/auth/refresh', { method: 'POST' })).status).toBe(200);
    expect((await call('/user/me')).status).toBe(200);
    expect((await call('/user/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await call('/user/me')).status).toBe(401);

    expect((await call('/user/auth/login', { method: 'POST', body: credentials })).status).toBe(200);
    expect((await call('/user/me', { method: 'DELETE', body: { password: STRONG_PASSWORD } })).status).toBe(204);
    expect((await call('/user/auth/login', { method: 'POST', body: credentials })).status).toBe(401);
    await page.context().close();
  });

  it('edits and deletes the account by bearer token from the page', async () => {
    const { page, call } = await openPage(allowedPage.origin);
    const credentials = { email: uniqueEmail('spa-bearer'), password: STRONG_PASSWORD };
    await call('/user/auth/register', { method: 'POST', body: { ...credentials, firstName: 'A', lastName: 'B' } });
    const login = await post(t.app, '/user/auth/login', credentials);
    const bearer = (login.json() as { accessToken: string }).accessToken;

    expect(await call('/user/me', { method: 'PATCH', body: { lastName: 'Bearer' }, bearer })).toMatchObject({
      status: 200,
      body: { lastName: 'Bearer' },
    });
    expect((await call('/user/me', { method: 'DELETE', body: { password: STRONG_PASSWORD }, bearer })).status).toBe(
      204,
    );
    expect((await call('/user/me', { bearer })).status).toBe(401);
    await page.context().close();
  });

  it('refuses a page on an origin outside CORS_ORIGINS: the browser blocks the call and nothing changes', async () => {
    const credentials = { email: uniqueEmail('foreign'), password: STRONG_PASSWORD };
    const { page, call } = await openPage(foreignPage.origin);
    const attempt = await call('/user/auth/register', {
      method: 'POST',
      body: { ...credentials, firstName: 'A', lastName: 'B' },
    });
    expect(attempt.error).toMatch(/Failed to fetch/);
    const login = await post(t.app, '/user/auth/login', credentials);
    expect(login.statusCode).toBe(401);
    await page.context().close();
  });
});
