import { randomUUID } from 'node:crypto';
import { UsersDirectory } from '../src/users/users-directory';
import { bearer, login, register, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { del, get, patch, post } from './support/http';

describe('administration', () => {
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  const asAdmin = (method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(admin.accessToken), payload: payload as never });

  it('is for admins only', async () => {
    const user = await registerAndLogin(t.app);
    const res = await get(t.app, '/admin/users', bearer(user.accessToken));
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get(t.app, '/admin/users')).statusCode).toBe(401);
  });

  it('pages and searches users, escaping LIKE wildcards, and validates paging', async () => {
    const tag = `zq${Date.now()}`;
    for (let i = 0; i < 3; i++) await register(t.app, { lastName: `${tag}_${i}` });
    await register(t.app, { lastName: `${tag}Xpct` });
    const page = await asAdmin('GET', `/admin/users?page=1&limit=2&search=${tag}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ total: 4, page: 1, limit: 2 });
    expect((page.json() as { items: unknown[] }).items).toHaveLength(2);
    const underscore = await asAdmin('GET', `/admin/users?search=${tag}_`);
    expect((underscore.json() as { total: number }).total).toBe(3);
    const percent = await asAdmin('GET', `/admin/users?search=${tag}%25`);
    expect((percent.json() as { total: number }).total).toBe(0);
    for (const query of ['page=0', 'limit=0', 'limit=101', 'page=abc', 'page=1e18', 'search=a%00b']) {
      expect((await asAdmin('GET', `/admin/users?${query}`)).statusCode).toBe(400);
    }
    const defaults = await asAdmin('GET', '/admin/users');
    expect(defaults.json()).toMatchObject({ page: 1, limit: 20 });
  });

  it('reads, updates and deletes a user, logging each action', async () => {
    const target = await registerAndLogin(t.app);
    expect((await asAdmin('GET', `/admin/users/${target.userId}`)).json()).toMatchObject({ email: target.email });
    expect((await asAdmin('GET', '/admin/users/not-a-uuid')).statusCode).toBe(400);
    expect((await asAdmin('GET', `/admin/users/${randomUUID()}`)).statusCode).toBe(404);
    expect((await asAdmin('PATCH', `/admin/users/${target.userId}`, { role: 'superuser' })).statusCode).toBe(400);

    const deactivated = await patch(t.app, `/admin/users/${target.userId}`, 'isActive=false', {
      ...bearer(admin.accessToken),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json()).toMatchObject({ isActive: false });
    expect((await get(t.app, '/user/me', bearer(target.accessToken))).statusCode).toBe(401);
    const refused = await post(t.app, '/user/auth/login', { email: target.email, password: target.password });
    expect(refused.statusCode).toBe(401);

    const promoted = await asAdmin('PATCH', `/admin/users/${target.userId}`, { role: 'admin', isActive: true });
    expect(promoted.json()).toMatchObject({ role: 'admin', isActive: true });
    expect((await asAdmin('DELETE', `/admin/users/${target.userId}`)).statusCode).toBe(204);
    expect((await asAdmin('GET', `/admin/users/${target.userId}`)).statusCode).toBe(404);
    expect((await asAdmin('DELETE', `/admin/users/${randomUUID()}`)).statusCode).toBe(404);
    const actor = new RegExp(
      `"event_type":"admin_action".*"actor_id":"${admin.userId}".*"target_id":"${target.userId}"`,
    );
    expect(await t.waitForLog('security.log', actor)).toMatch(
      new RegExp(`"event_type":"admin_action".*"actor_id":"${admin.userId}".*"target_id":"${target.userId}"`),
    );
  });

  it('never leaves the service without an active admin', async () => {
    expect((await asAdmin('PATCH', `/admin/users/${admin.userId}`, { role: 'user' })).statusCode).toBe(409);
    expect((await asAdmin('PATCH', `/admin/users/${admin.userId}`, { isActive: false })).statusCode).toBe(409);
    expect((await asAdmin('DELETE', `/admin/users/${admin.userId}`)).statusCode).toBe(409);

    const second = await register(t.app);
    await asAdmin('PATCH', `/admin/users/${second.id}`, { role: 'admin' });
    const secondClient = await login(t.app, second);
    // Two admins demoting each other at once: one must lose.
    const [a, b] = await Promise.all([
      asAdmin('PATCH', `/admin/users/${second.id}`, { role: 'user' }),
      patch(t.app, `/admin/users/${admin.userId}`, { role: 'user' }, bearer(secondClient.accessToken)),
    ]);
    // The loser gets 409 (checked under the lock), or 403 if its role check already saw the demotion.
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const admins = await t.app.get(UsersDirectory).list(1, 100);
    expect(admins.items.filter((u) => u.role === 'admin' && u.isActive).length).toBeGreaterThanOrEqual(1);
  });
});

describe('the last admin deleting their own account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is refused with 409 and changes nothing; with a second admin it is allowed', async () => {
    const only = await signedInAdmin(t.app);
    const deleteSelf = () => del(t.app, '/user/me', bearer(only.accessToken), { password: only.password });
    const refused = await deleteSelf();
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const me = await get(t.app, '/admin/users', bearer(only.accessToken));
    expect(me.statusCode).toBe(200);

    const second = await register(t.app);
    const promoted = await patch(t.app, `/admin/users/${second.id}`, { role: 'admin' }, bearer(only.accessToken));
    expect(promoted.statusCode).toBe(200);
    expect((await deleteSelf()).statusCode).toBe(204);
    const admins = await t.app.get(UsersDirectory).list(1, 100);
    expect(admins.items.filter((u) => u.role === 'admin' && u.isActive).map((u) => u.id)).toEqual([second.id]);
  });
});
