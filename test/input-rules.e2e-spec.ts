import { randomUUID } from 'node:crypto';
import { bearer, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

interface DocumentedOperation {
  operationId: string;
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const NON_OBJECTS = ['[]', '"x"', '1', 'true', 'null', '[{}]'];

describe('input rules every route obeys', () => {
  let t: TestApp;
  let user: SignedInClient;
  let admin: SignedInClient;
  let bodyRoutes: { method: Method; url: string; operation: DocumentedOperation }[];

  beforeAll(async () => {
    t = await startTestApp();
    user = await registerAndLogin(t.app);
    admin = await signedInAdmin(t.app);
    const document = (await get(t.app, '/openapi.json')).json() as {
      paths: Record<string, Record<string, DocumentedOperation>>;
    };
    bodyRoutes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.requestBody)
        .map(([method, operation]) => ({
          method: method.toUpperCase() as Method,
          // A path id that exists nowhere: the body is judged before any lookup.
          url: path.replace(/\{[^}]+\}/g, randomUUID()),
          operation,
        })),
    );
  });
  afterAll(() => t.close());

  const as = (client: SignedInClient | undefined, method: Method, url: string, json?: string, type?: string) =>
    t.app.inject({
      method,
      url,
      payload: json,
      headers: {
        ...(client ? bearer(client.accessToken) : {}),
        ...(json === undefined ? {} : { 'content-type': type ?? 'application/json' }),
      },
    });
  const callerOf = (url: string) => (url.startsWith('/admin') ? admin : user);

  it('refuses a JSON body that is not an object on every route that takes a body, optional ones included', async () => {
    expect(bodyRoutes.length).toBeGreaterThan(15);
    for (const { method, url } of bodyRoutes) {
      for (const json of NON_OBJECTS) {
        const res = await as(callerOf(url), method, url, json);
        expect({ method, url, json, status: res.statusCode }).toEqual({ method, url, json, status: 400 });
        expect(res.json().errors).toEqual([{ field: 'body', message: 'the body must be an object' }]);
      }
    }
  });

  it('accepts an absent body where the body is optional', async () => {
    const optional = bodyRoutes.filter(({ operation }) => operation.requestBody?.required === false);
    expect(optional.map(({ operation }) => operation.operationId).sort()).toEqual([
      'AdminUsersController_update',
      'AuthController_logout',
      'AuthController_refresh',
      'MeController_update',
      'PasskeySignInController_options',
    ]);
    const throwaway = await registerAndLogin(t.app);
    expect((await as(undefined, 'POST', '/user/auth/refresh')).statusCode).toBe(401);
    expect((await as(throwaway, 'POST', '/user/auth/logout')).statusCode).toBe(204);
    expect((await as(undefined, 'POST', '/user/auth/passkey/options')).statusCode).toBe(200);
    expect((await as(user, 'PATCH', '/user/me')).statusCode).toBe(200);
    expect((await as(admin, 'PATCH', `/admin/users/${user.userId}`)).statusCode).toBe(200);
  });

  it('refuses null for an optional field: it may be absent, but null is not text', async () => {
    for (const [method, url, json, field] of [
      ['PATCH', '/user/me', '{"firstName":null}', 'firstName'],
      ['POST', '/user/auth/logout', '{"refreshToken":null}', 'refreshToken'],
      ['POST', '/user/auth/refresh', '{"refreshToken":null}', 'refreshToken'],
      ['POST', '/user/auth/passkey/options', '{"email":null}', 'email'],
      ['PATCH', `/admin/users/${user.userId}`, '{"role":null}', 'role'],
    ] as const) {
      const res = await as(callerOf(url), method, url, json);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().errors).toEqual([{ field, message: `${field} must not be null` }]);
    }
  });

  it('refuses a NUL character in any string of a body, form, query or path with 400 naming the field', async () => {
    const cases: [Method, string, string | undefined, string | undefined, string][] = [
      ['POST', '/user/auth/login', JSON.stringify({ email: user.email, password: 'a\u0000' }), undefined, 'password'],
      [
        'POST',
        '/user/auth/login',
        `email=x%40example.com&password=a%00b`,
        'application/x-www-form-urlencoded',
        'password',
      ],
      ['POST', '/user/auth/refresh', JSON.stringify({ refreshToken: '\u0000' }), undefined, 'refreshToken'],
      ['POST', '/user/auth/logout', JSON.stringify({ refreshToken: 'x\u0000' }), undefined, 'refreshToken'],
      ['PATCH', '/user/me', JSON.stringify({ firstName: 'Ann', 'last\u0000Name': 'x' }), undefined, 'last\u0000Name'],
      [
        'POST',
        '/user/auth/mfa',
        JSON.stringify({ mfaToken: 't', code: { deep: ['\u0000'] } }),
        undefined,
        'code.deep.0',
      ],
      ['GET', '/user/me/activity?cursor=a%00b', undefined, undefined, 'cursor'],
      ['GET', '/admin/users?search=%00', undefined, undefined, 'search'],
      ['GET', '/user/me?unknown=%00', undefined, undefined, 'unknown'],
      ['DELETE', '/user/sessions/%00', undefined, undefined, 'id'],
    ];
    for (const [method, url, json, type, field] of cases) {
      const res = await as(callerOf(url), method, url, json, type);
      expect({ url, field, status: res.statusCode }).toEqual({ url, field, status: 400 });
      expect(res.json().errors).toEqual([{ field, message: expect.stringMatching(/NUL/) }]);
    }
    expect((await as(user, 'GET', '/user/me')).json().lastName).not.toContain('\u0000');
  });

  it('refuses a lone surrogate in any string with 400 (validator.js threw on one: 500 at login)', async () => {
    for (const [url, json, field] of [
      ['/user/auth/login', JSON.stringify({ email: 'a\ud800@example.com', password: 'x' }), 'email'],
      ['/user/auth/forgot-password', JSON.stringify({ email: '\udfff' }), 'email'],
      [
        '/user/auth/register',
        JSON.stringify({ firstName: 'A', lastName: 'B\ud800', email: 'x', password: 'y' }),
        'lastName',
      ],
    ]) {
      const res = await as(undefined, 'POST', url, json);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().errors).toEqual([
        { field, message: `${field} must be well-formed Unicode text (no lone surrogate)` },
      ]);
    }
    // A surrogate pair is an ordinary character.
    expect((await as(user, 'PATCH', '/user/me', JSON.stringify({ firstName: 'Ann \u{1f600}' }))).statusCode).toBe(200);
  });

  it('refuses a __proto__ or constructor key anywhere in a body', async () => {
    for (const json of [
      '{"constructor":"x","firstName":"Ann"}',
      '{"a":{"constructor":{}}}',
      '{"a":[{"b":{"constructor":1}}]}',
    ]) {
      const res = await as(user, 'PATCH', '/user/me', json);
      expect({ json, status: res.statusCode }).toEqual({ json, status: 400 });
    }
    const form = await as(
      user,
      'PATCH',
      '/user/me',
      'constructor=x&firstName=Ann',
      'application/x-www-form-urlencoded',
    );
    expect(form.statusCode).toBe(400);
  });

  it('refuses bracketed query keys on every route, before the guards: parameters are scalars', async () => {
    const uuid = randomUUID();
    for (const query of ['action[]=logout', 'outcome[$ne]=success', `actorId[]=${uuid}`, 'limit]=5']) {
      const res = await as(admin, 'GET', `/admin/audit?${query}`);
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().errors).toEqual([
        { field: decodeURIComponent(query.split('=')[0]), message: expect.any(String) },
      ]);
    }
    for (const url of ['/user/me?x[]=1', '/health?a[b]=c', '/user/me/activity?limit[]=5']) {
      expect({ url, status: (await as(user, 'GET', url)).statusCode }).toEqual({ url, status: 400 });
    }
    expect((await as(undefined, 'GET', '/user/me?x[]=1')).statusCode).toBe(400);
    // Unknown plain parameters are still ignored.
    expect((await as(user, 'GET', '/user/me?x=1&x=2')).statusCode).toBe(200);
  });

  it('refuses a known query parameter given twice', async () => {
    for (const url of [
      '/admin/audit?action=logout&action=login.failed',
      '/admin/audit?limit=5&limit=6',
      '/admin/audit?cursor=a&cursor=b',
      '/admin/users?page=1&page=2',
      '/admin/users?search=a&search=b',
    ]) {
      const res = await as(admin, 'GET', url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().errors[0].message).toMatch(/must be given once/);
    }
    const res = await as(user, 'GET', '/user/me/activity?limit=1&limit=2');
    expect(res.statusCode).toBe(400);
  });

  it('reads integers as plain decimal digits only', async () => {
    for (const value of ['0x10', '1e2', '+5', ' 5', '5.0', '', '0b11', 'Infinity', '5%00']) {
      for (const url of [
        `/admin/audit?limit=${value}`,
        `/admin/users?page=${value}`,
        `/user/me/activity?limit=${value}`,
      ]) {
        const res = await as(callerOf(url), 'GET', url.replace(' ', '%20'));
        expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      }
    }
    const page = await as(admin, 'GET', '/admin/audit?limit=007');
    expect(page.statusCode).toBe(200);
    expect((page.json() as { items: unknown[] }).items.length).toBeLessThanOrEqual(7);
    expect((await as(admin, 'GET', '/admin/users?limit=-1')).statusCode).toBe(400);
  });
});
