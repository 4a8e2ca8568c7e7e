import { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../src/docs/openapi-document';
import { checkTraffic, Exchange, isOutsideTheDocument } from './support/openapi-traffic';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

/** The check every test app runs at close(), fed exchanges that contradict the document on purpose. */
describe('OpenAPI traffic check', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let health: Exchange;

  beforeAll(async () => {
    t = await startTestApp();
    document = buildOpenApiDocument(t.app, t.settings.app);
    const res = await get(t.app, '/health');
    health = {
      method: 'GET',
      url: '/health',
      requestHeaders: {},
      status: res.statusCode,
      responseContentType: res.headers['content-type'] as string,
      responseBody: res.body,
    };
  });
  afterAll(() => t.close());

  it('passes a real response of the service', () => {
    expect(checkTraffic(document, [health])).toEqual([]);
  });

  it('reports a 200 whose body lacks a required field, naming the test, request and field', () => {
    const body = JSON.parse(health.responseBody as string) as Record<string, unknown>;
    delete body.version;
    const violations = checkTraffic(document, [{ ...health, test: 'a test', responseBody: JSON.stringify(body) }]);
    expect(violations).toEqual([expect.stringMatching(/^a test: GET \/health -> 200: .*version/)]);
  });

  it('reports a field of the wrong type or format and a status the operation does not document', () => {
    const body = JSON.parse(health.responseBody as string) as object;
    const violations = checkTraffic(document, [
      { ...health, responseBody: JSON.stringify({ ...body, timestamp: 17 }) },
      { ...health, responseBody: JSON.stringify({ ...body, timestamp: 'yesterday' }) },
      { ...health, status: 418 },
    ]);
    expect(violations).toEqual([
      expect.stringMatching(/\/timestamp must be string/),
      expect.stringMatching(/\/timestamp must match format "date-time"/),
      expect.stringMatching(/status 418 is not documented/),
    ]);
  });

  it('reports an error sent in a content type the document does not give for it', () => {
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'x', instance: '/', requestId: 'r' };
    const register: Exchange = {
      method: 'POST',
      url: '/user/auth/register',
      requestHeaders: { 'content-type': 'application/json' },
      status: 409,
      responseContentType: 'text/plain',
      responseBody: JSON.stringify(problem),
    };
    expect(checkTraffic(document, [{ ...register, responseContentType: 'application/problem+json' }])).toEqual([]);
    expect(checkTraffic(document, [register])).toEqual([expect.stringMatching(/content type text\/plain/)]);
  });

  it('reports an accepted request whose query parameters do not have the documented types', () => {
    const listing: Exchange = {
      method: 'GET',
      url: '/admin/users?page=2&limit=10',
      requestHeaders: {},
      status: 200,
      responseContentType: 'application/json; charset=utf-8',
      responseBody: JSON.stringify({ items: [], total: 0, page: 2, limit: 10 }),
    };
    expect(checkTraffic(document, [listing])).toEqual([]);
    const violations = checkTraffic(document, [{ ...listing, url: '/admin/users?page=two&limit=10' }]);
    expect(violations).toEqual([expect.stringMatching(/accepted request .*\/query\/page must be integer/)]);
  });

  it('reports an accepted body whose content type or fields are not documented', () => {
    const forgot: Exchange = {
      method: 'POST',
      url: '/user/auth/forgot-password',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: { email: 'john@example.com' },
      status: 202,
      responseContentType: 'application/json; charset=utf-8',
      responseBody: JSON.stringify({ message: 'on its way' }),
    };
    expect(checkTraffic(document, [forgot])).toEqual([]);
    const violations = checkTraffic(document, [
      { ...forgot, requestHeaders: { 'content-type': 'text/plain' }, requestBody: 'email' },
      { ...forgot, requestBody: {} },
    ]);
    expect(violations).toEqual([
      expect.stringMatching(/request body of type text\/plain accepted/),
      expect.stringMatching(/accepted request .*email/),
    ]);
  });

  it('reports a route outside the document unless refused before routing or on the short list of pages', () => {
    const stray: Exchange = { method: 'GET', url: '/nowhere', requestHeaders: {}, status: 200, responseBody: 'hi' };
    expect(checkTraffic(document, [{ ...stray, status: 404 }])).toEqual([]);
    expect(checkTraffic(document, [{ ...stray, url: '/user/%zz', status: 400 }])).toEqual([]);
    expect(checkTraffic(document, [stray])).toEqual([expect.stringMatching(/no operation in the document/)]);
    expect(isOutsideTheDocument('GET', '/docs/swagger-ui-init.js')).toBe(true);
    expect(isOutsideTheDocument('GET', '/openapi.json')).toBe(true);
    expect(isOutsideTheDocument('GET', '/health')).toBe(false);
  });
});
