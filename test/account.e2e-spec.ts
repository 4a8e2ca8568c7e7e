import { randomUUID } from 'node:crypto';
import { User } from '../src/users/entities/user.entity';
import { bearer, cookieValue, login, register, registerAndLogin } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { del, get, patch, post } from './support/http';

describe('current user', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: '["http://app.example.com"]', APP_URL: 'http://api.example.com' } });
  });
  afterAll(() => t.close());

  it('returns and updates the profile, trimming names and dropping other fields', async () => {
    const client = await registerAndLogin(t.app);
    const got = await get(t.app, '/user/me', bearer(client.accessToken));
    expect(got.json()).toMatchObject({ id: client.userId, email: client.email, firstName: 'Jane' });
    const patched = await patch(t.app, '/user/me', 'firstName=%20Janet%20&role=admin&email=evil%40example.com', {
      ...bearer(client.accessToken),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ firstName: 'Janet', lastName: 'Roe', role: 'user', email: client.email });
    const bad = await patch(t.app, '/user/me', { lastName: '' }, bearer(client.accessToken));
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0].field).toBe('lastName');
  });

  it('lists live sessions, marks the current one, and refuses other users sessions', async () => {
    const account = await register(t.app);
    const first = await login(t.app, account);
    const second = await login(t.app, account);
    const res = await get(t.app, '/user/sessions', { ...bearer(second.accessToken), 'user-agent': 'test-agent' });
    expect(res.statusCode).toBe(200);
    const sessions = res.json() as { id: string; current: boolean; ipAddress: string; userAgent: string | null }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const firstSid = sessions.find((s) => !s.current)?.id as string;
    expect(sessions[0]).toMatchObject({
      ipAddress: '127.0.0.1',
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });

    const stranger = await registerAndLogin(t.app);
    const foreign = await del(t.app, `/user/sessions/${firstSid}`, bearer(stranger.accessToken));
    expect(foreign.statusCode).toBe(404);
    expect((await del(t.app, '/user/sessions/not-a-uuid', bearer(second.accessToken))).statusCode).toBe(400);
    expect((await del(t.app, `/user/sessions/${randomUUID()}`, bearer(second.accessToken))).statusCode).toBe(404);

    const revoked = await del(t.app, `/user/sessions/${firstSid}`, bearer(second.accessToken));
    expect(revoked.statusCode).toBe(204);
    expect((await get(t.app, '/user/me', bearer(first.accessToken))).statusCode).toBe(401);
    expect((await get(t.app, '/user/me', bearer(second.accessToken))).statusCode).toBe(200);
  });

  it('changes the password: other sessions end, this client keeps going with fresh tokens', async () => {
    const account = await register(t.app);
    const other = await login(t.app, account);
    const self = await login(t.app, account);
    const wrong = await post(
      t.app,
      '/user/me/password',
      { currentPassword: 'Not-The-Password-1', newPassword: 'An0ther-Long-Passphrase' },
      bearer(self.accessToken),
    );
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as { errors: { field: string }[] }).errors[0].field).toBe('currentPassword');
    const weak = await post(
      t.app,
      '/user/me/password',
      { currentPassword: account.password, newPassword: 'password' },
      bearer(self.accessToken),
    );
    expect(weak.statusCode).toBe(400);
    expect((weak.json() as { errors: { field: string }[] }).errors[0].field).toBe('newPassword');
    expect((await get(t.app, '/user/me', bearer(other.accessToken))).statusCode).toBe(200);

    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: account.password, newPassword: 'An0ther-Long-Passphrase' },
      bearer(self.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.headers['cache-control']).toBe('no-store');
    const body = changed.json() as { accessToken: string; refreshToken: string; tokenType: string };
    expect(body.tokenType).toBe('Bearer');
    expect(cookieValue(changed, 'user_session')).toBe(body.accessToken);
    for (const stale of [other.accessToken, self.accessToken]) {
      expect((await get(t.app, '/user/me', bearer(stale))).statusCode).toBe(401);
    }
    expect((await get(t.app, '/user/me', bearer(body.accessToken))).statusCode).toBe(200);
    const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: body.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect((await post(t.app, '/user/auth/login', account)).statusCode).toBe(401);
    await login(t.app, { email: account.email, password: 'An0ther-Long-Passphrase' });
    expect(await t.waitForLog('security.log', /"event_type":"password_changed"/)).toMatch(
      /"event_type":"password_changed"/,
    );
  });

  it('deletes the account after confirming the password, then allows re-registration', async () => {
    const client = await registerAndLogin(t.app);
    const wrong = await del(t.app, '/user/me', bearer(client.accessToken), { password: 'wrong-password-1' });
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as { errors: { field: string }[] }).errors[0].field).toBe('password');
    const deleted = await del(t.app, '/user/me', bearer(client.accessToken), { password: client.password });
    expect(deleted.statusCode).toBe(204);
    expect(await t.dataSource.getRepository(User).findOneBy({ id: client.userId })).toBeNull();
    expect((await get(t.app, '/user/me', bearer(client.accessToken))).statusCode).toBe(401);
    const again = await register(t.app, { email: client.email });
    expect(again.id).not.toBe(client.userId);
  });

  describe('CSRF origin check on cookie-authenticated requests', () => {
    const patchProfile = (cookie: string, headers: Record<string, string>) =>
      patch(t.app, '/user/me', { firstName: 'Changed' }, { cookie, ...headers });

    it('refuses a foreign Origin or Referer and changes nothing', async () => {
      const client = await registerAndLogin(t.app);
      const cookie = `user_session=${client.sessionCookie}`;
      const foreign: Record<string, string>[] = [
        { origin: 'http://evil.example' },
        { referer: 'http://evil.example/page' },
        { origin: 'null' },
      ];
      for (const headers of foreign) {
        const res = await patchProfile(cookie, headers);
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const logoutAll = await post(t.app, '/user/auth/logout-all', undefined, {
        cookie,
        origin: 'http://evil.example',
      });
      expect(logoutAll.statusCode).toBe(403);
      const row = await t.dataSource.getRepository(User).findOneBy({ id: client.userId });
      expect(row?.firstName).toBe('Jane');
      expect(row?.tokenVersion).toBe(0);
    });

    it('refuses sign-in routes from a foreign Origin or Referer even without a cookie: no cookie, no account', async () => {
      const account = await register(t.app);
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const signIn = (url: string, payload: string, headers: Record<string, string>) =>
        post(t.app, url, payload, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
      const client = await login(t.app, account);
      const newEmail = `csrf.${randomUUID()}@example.com`;
      const attempts: Array<[string, string]> = [
        ['/user/auth/login', form({ email: account.email, password: account.password })],
        ['/user/auth/refresh', form({ refreshToken: client.refreshToken })],
        [
          '/user/auth/register',
          form({ firstName: 'Mal', lastName: 'Lory', email: newEmail, password: account.password }),
        ],
      ];
      for (const [url, payload] of attempts) {
        const foreign: Record<string, string>[] = [
          { origin: 'https://evil.example' },
          { referer: 'https://evil.example/form' },
        ];
        for (const headers of foreign) {
          // A bearer header does not exempt these routes: they set cookies whatever the caller holds.
          for (const extra of [{}, bearer(client.accessToken)]) {
            const res = await signIn(url, payload, { ...headers, ...extra });
            expect({ url, headers, status: res.statusCode }).toEqual({ url, headers, status: 403 });
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(res.headers['set-cookie']).toBeUndefined();
          }
        }
      }
      expect(await t.dataSource.getRepository(User).findOneBy({ email: newEmail })).toBeNull();
      // The refused refresh spent nothing: the token still rotates once.
      const rotated = await signIn('/user/auth/refresh', form({ refreshToken: client.refreshToken }), {});
      expect(rotated.statusCode).toBe(200);
      const allowed: Record<string, string>[] = [
        { origin: 'http://app.example.com' },
        { referer: 'http://api.example.com/docs' },
        { host: 'docs.internal:8000', origin: 'http://docs.internal:8000' },
        {},
      ];
      for (const headers of allowed) {
        const res = await signIn(
          '/user/auth/login',
          form({ email: account.email, password: account.password }),
          headers,
        );
        expect({ headers, status: res.statusCode }).toEqual({ headers, status: 200 });
        expect(res.headers['set-cookie']).toHaveLength(2);
      }
      const registered = await signIn(
        '/user/auth/register',
        form({ firstName: 'Ann', lastName: 'Lee', email: newEmail, password: account.password }),
        { origin: 'http://app.example.com' },
      );
      expect(registered.statusCode).toBe(201);
    });

    it('lets allowed origins, the service origin, bearer clients and header-less clients through', async () => {
      const client = await registerAndLogin(t.app);
      const cookie = `user_session=${client.sessionCookie}`;
      expect((await patchProfile(cookie, { origin: 'http://app.example.com' })).statusCode).toBe(200);
      expect((await patchProfile(cookie, { referer: 'http://api.example.com/docs' })).statusCode).toBe(200);
      expect((await patchProfile(cookie, {})).statusCode).toBe(200);
      // The request's own origin (a page this service served) is same-origin whatever APP_URL says.
      expect(
        (await patchProfile(cookie, { host: 'docs.internal:8000', origin: 'http://docs.internal:8000' })).statusCode,
      ).toBe(200);
      expect(
        (await patchProfile(cookie, { host: 'docs.internal:8000', origin: 'http://docs.internal:9000' })).statusCode,
      ).toBe(403);
      const viaBearer = await patch(
        t.app,
        '/user/me',
        { firstName: 'Bearer' },
        { ...bearer(client.accessToken), origin: 'http://evil.example' },
      );
      expect(viaBearer.statusCode).toBe(200);
      const read = await get(t.app, '/user/me', { cookie, origin: 'http://evil.example' });
      expect(read.statusCode).toBe(200);
    });
  });
});
