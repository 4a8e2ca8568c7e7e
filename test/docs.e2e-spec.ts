import { buildOpenApiDocument } from '../src/docs/openapi-document';
import { BuiltAppProcess, buildIfNeeded } from './support/built-app-process';
import { startTestApp, TestApp } from './support/test-app';
import { validateOpenApi } from './support/validate-openapi';
import { get } from './support/http';

describe('API documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves an OpenAPI 3 document that passes the validator', async () => {
    const res = await get(t.app, '/openapi.json');
    expect(res.statusCode).toBe(200);
    const document = res.json() as Record<string, unknown> & { openapi: string; components: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(validateOpenApi(document)).toEqual({ valid: true });
    expect(document.components.securitySchemes).toMatchObject({
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'user_session' },
      bearer: { type: 'http', scheme: 'bearer' },
      metricsToken: { type: 'http', scheme: 'bearer' },
    });
    // Without METRICS_TOKEN the closable routes are open: anonymous access is one of the alternatives.
    const paths = document.paths as Record<string, { get: { security?: unknown } }>;
    for (const url of ['/metrics', '/health/metrics', '/health/detailed', '/health/full']) {
      expect({ url, security: paths[url].get.security }).toEqual({ url, security: [{}, { metricsToken: [] }] });
    }
  });

  it("lists its tags in the order of a client's journey, and files every operation under one of them", async () => {
    const document = (await get(t.app, '/openapi.json')).json() as {
      tags?: { name: string; description?: string }[];
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const journey = [
      'Authentication',
      'Current user',
      'Sessions',
      'Second factors',
      'Passkeys',
      'Identities',
      'Administration',
      'Audit',
      'Keys',
      'Health',
      'Metrics',
    ];
    const listed = (document.tags ?? []).map((tag) => tag.name);
    const used = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => {
          expect({ operation: `${method} ${path}`, tags: operation.tags?.length }).toEqual({
            operation: `${method} ${path}`,
            tags: 1,
          });
          return operation.tags?.[0] ?? '';
        }),
      ),
    );
    // Exactly the tags in use, each one of the journey's, in the journey's order.
    expect(listed).toEqual(journey.filter((name) => used.has(name)));
    expect([...used].sort()).toEqual([...listed].sort());
    expect(listed.slice(0, 2)).toEqual(['Authentication', 'Current user']);
    for (const tag of document.tags ?? []) expect(tag.description).toEqual(expect.any(String));
  });

  it('says how to authorize: the accessToken under bearer; the cookie only through the browser', async () => {
    const document = (await get(t.app, '/openapi.json')).json() as {
      info: { description: string };
      components: { securitySchemes: Record<string, { description?: string }> };
    };
    expect(document.info.description).toMatch(/Authorize/);
    expect(document.info.description).toMatch(/accessToken/);
    expect(document.info.description).toMatch(/bearer/);
    expect(document.info.description).toMatch(/POST \/user\/auth\/login/);
    expect(document.components.securitySchemes.sessionCookie.description).toMatch(/login.*from this page/i);
    expect(document.components.securitySchemes.bearer.description).toMatch(/accessToken/);
  });

  it('documents admin paging parameters as integers', async () => {
    const document = (await get(t.app, '/openapi.json')).json() as {
      paths: Record<string, { get: { parameters: { name: string; schema: object }[] } }>;
    };
    const parameters = document.paths['/admin/users'].get.parameters;
    expect(parameters.find((p) => p.name === 'page')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 1,
    });
    expect(parameters.find((p) => p.name === 'limit')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
  });

  // The tests compile with swc, production with tsc, and the two emit different design types (an
  // unannotated property is Object under tsc): the traffic check is only worth its document if they agree.
  it('serves from the built service the same document the e2e traffic check uses', async () => {
    buildIfNeeded();
    const built = await BuiltAppProcess.start();
    try {
      const served = (await (await fetch(`${built.baseUrl}/openapi.json`)).json()) as unknown;
      expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(t.app, t.settings.app))));
    } finally {
      await built.cleanUp();
    }
  }, 300_000);

  it('serves Swagger UI at /docs with a CSP that lets it run', async () => {
    const res = await get(t.app, '/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('swagger-ui');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const init = await get(t.app, '/docs/swagger-ui-init.js');
    expect(init.statusCode).toBe(200);
  });

  it('serves ReDoc at /redoc from this origin, with no CDN', async () => {
    const page = await get(t.app, '/redoc');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<redoc spec-url="/openapi.json">');
    expect(page.body).not.toMatch(/https?:\/\//);
    const script = await get(t.app, '/redoc/redoc.standalone.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body.length).toBeGreaterThan(100_000);
  });
});

describe('API documentation switched off (DOCS_ENABLED=false)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { DOCS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('answers 404 on /docs, /redoc and /openapi.json, and the API still serves', async () => {
    for (const url of [
      '/docs',
      '/docs/',
      '/docs/swagger-ui-init.js',
      '/redoc',
      '/redoc/redoc.standalone.js',
      '/openapi.json',
    ]) {
      const res = await get(t.app, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get(t.app, '/health/live')).statusCode).toBe(200);
  });
});
