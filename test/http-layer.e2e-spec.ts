import { AddressInfo } from 'node:net';
import { rawHttp } from './support/raw-http';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('HTTP layer', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: '["http://localhost:3000"]' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  function expectProblem(
    res: { headers: Record<string, unknown>; body: string },
    status: number,
  ): Record<string, unknown> {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name]).toBe(value);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    return body;
  }

  it('serves liveness with the security headers and a strict CSP', async () => {
    const res = await get(t.app, '/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'healthy' });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name]).toBe(value);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers /health and /health/ alike', async () => {
    for (const url of ['/health', '/health/']) {
      const res = await get(t.app, url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'healthy', environment: 'test', version: expect.any(String) });
    }
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await get(t.app, '/health/live', { 'x-request-id': 'abc.DEF-123_x' });
    expect(kept.headers['x-request-id']).toBe('abc.DEF-123_x');
    const replaced = await get(t.app, '/health/live', { 'x-request-id': 'bad id<script>' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await get(t.app, '/health/live', { 'x-request-id': 'a'.repeat(129) });
    expect(tooLong.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await get(t.app, '/no/such/route');
    expect(res.statusCode).toBe(404);
    expectProblem(res, 404);
  });

  it('answers a malformed URL with a 400 problem, over the wire', async () => {
    const res = await rawHttp(
      port,
      'GET /user/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: bad-url-check\r\nConnection: close\r\n\r\n',
    );
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('bad-url-check');
    const body = expectProblem(res, 400);
    expect(body).toMatchObject({ instance: '/user/%zz', detail: expect.stringMatching(/URL is malformed/) });
    expect(res.body).not.toMatch(/FST_/);
  });

  it('answers headers over 16 KiB with a 431 problem and closes the connection', async () => {
    const res = await rawHttp(
      port,
      `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers.connection).toBe('close');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = expectProblem(res, 431);
    expect(body).toMatchObject({ instance: '/health/live', detail: 'The request headers are too large' });
  });

  it('answers a request Node cannot parse with a 400 problem', async () => {
    const res = await rawHttp(port, 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n');
    expect(res.status).toBe(400);
    expectProblem(res, 400);
  });

  it("answers Fastify's own body errors in problem+json, over the wire", async () => {
    const send = (contentType: string, body: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/user/auth/login`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
    const cases: Array<[Response, number]> = [
      [await send('application/json', '{"email":'), 400],
      [await send('application/json', ''), 400],
      [await send('application/xml', '<a/>'), 415],
      [await send('application/json', `{"email":"${'x'.repeat(1024 * 1024)}"}`), 413],
    ];
    for (const [res, status] of cases) {
      expect(res.status).toBe(status);
      const headers = Object.fromEntries(res.headers.entries());
      expectProblem({ headers, body: await res.text() }, status);
    }
  });

  it('sends CORS headers only to configured origins', async () => {
    const allowed = await t.app.inject({
      method: 'OPTIONS',
      url: '/health/live',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const foreign = await t.app.inject({
      method: 'OPTIONS',
      url: '/health/live',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('writes one JSON request line per request with its request id', async () => {
    await get(t.app, '/health/live', { 'x-request-id': 'log-line-check' });
    // Log files are written asynchronously: a fixed pause was too short on a loaded machine.
    const lines = (await t.waitForLog('app.log', /log-line-check/))
      .split('\n')
      .filter((line) => line.includes('log-line-check'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ request_id: 'log-line-check', path: '/health/live', status_code: 200 });
  });
});

describe('HTTP layer in production', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { ENVIRONMENT: 'production', SMTP_URL: 'smtp://127.0.0.1:1', BCRYPT_ROUNDS: '10' },
    });
  });
  afterAll(() => t.close());

  it('adds Strict-Transport-Security to every response', async () => {
    for (const url of ['/health/live', '/no/such/route', '/docs']) {
      const res = await get(t.app, url);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('HTTP layer without CORS_ORIGINS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets no other origin call: a preflight gets no CORS headers, an answer carries none', async () => {
    const origin = 'http://localhost:3000';
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/user/me',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.headers['content-type']).toMatch(/^application\/problem\+json/);
    const answer = await get(t.app, '/health/live', { origin });
    expect(answer.statusCode).toBe(200);
    for (const res of [preflight, answer]) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
