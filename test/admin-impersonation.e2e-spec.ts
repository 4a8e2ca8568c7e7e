import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument } from '../src/docs/openapi-document';
import {
  bearer,
  login,
  register,
  registerAndLogin,
  signedInAdmin,
  SignedInClient,
  STRONG_PASSWORD,
} from './support/accounts';
import { asAdmin, ban, claimsOf, expectProblemCode, impersonate, me } from './support/admin-tools';
import { auditRowsFor } from './support/audit-rows';
import { waitForMail } from './support/mail-log';
import { startTestApp, TestApp } from './support/test-app';
import { get, send } from './support/http';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const REASON = 'Ticket 4521: the export button is missing';

describe('impersonation', () => {
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  const call = (method: Method, url: string, token: string, payload?: object) =>
    send(t.app, method, url, payload, bearer(token));
  const sessionsOf = async (client: SignedInClient) =>
    (await call('GET', '/user/sessions', client.accessToken)).json() as Record<string, unknown>[];

  it('answers a bearer token for the user, carrying act, with no refresh token and no cookie; GET /user/me names the admin', async () => {
    const user = await registerAndLogin(t.app);
    const res = await asAdmin(t.app, admin, 'POST', `/admin/users/${user.userId}/impersonate`, { reason: REASON });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json() as object).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(res.headers['set-cookie']).toBeUndefined();
    const { accessToken } = res.json() as { accessToken: string };
    const claims = claimsOf(accessToken);
    expect(claims).toMatchObject({ sub: user.userId, act: { sub: admin.userId } });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);

    const seen = await me(t.app, accessToken);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id: user.userId, impersonatedBy: { id: admin.userId, email: admin.email } });
    expect((await me(t.app, user.accessToken)).json()).not.toHaveProperty('impersonatedBy');
  });

  it('refuses every route that secures the account, and every /admin route, with 403 impersonation_forbidden', async () => {
    const user = await registerAndLogin(t.app);
    const { accessToken } = await impersonate(t.app, admin, user.userId);
    const own = (await sessionsOf(user)).find((session) => session.current === true);
    const nowhere = randomUUID();
    const forbidden: [Method, string, object?][] = [
      ['POST', '/user/me/password', { currentPassword: STRONG_PASSWORD, newPassword: 'An0ther-Strong-Passphrase' }],
      ['DELETE', '/user/me', { password: STRONG_PASSWORD }],
      ['POST', '/user/mfa/totp/setup'],
      ['POST', '/user/mfa/totp/enable', { code: '123456' }],
      ['POST', '/user/mfa/totp/disable', { password: STRONG_PASSWORD, code: '123456' }],
      ['POST', '/user/mfa/recovery-codes', { password: STRONG_PASSWORD }],
      ['POST', '/user/passkeys/registration/options'],
      ['POST', '/user/passkeys/registration', { credential: {} }],
      ['PATCH', `/user/passkeys/${nowhere}`, { name: 'Mine now' }],
      ['DELETE', `/user/passkeys/${nowhere}`],
      ['POST', '/user/auth/reauthenticate', { password: STRONG_PASSWORD }],
      ['POST', '/user/auth/reauthenticate/passkey/options'],
      ['POST', '/user/auth/reauthenticate/passkey', { credential: {} }],
      ['POST', '/user/auth/logout-all'],
      ['DELETE', `/user/sessions/${String(own?.id)}`],
      ['POST', '/user/identities/google/link'],
      ['DELETE', `/user/identities/${nowhere}`],
    ];
    const document = buildOpenApiDocument(t.app, t.settings.app);
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/admin')) continue;
      for (const method of Object.keys(operations)) {
        forbidden.push([method.toUpperCase() as Method, path.replace('{id}', user.userId), { reason: 'x' }]);
      }
    }
    expect(forbidden.filter(([, url]) => url.startsWith('/admin')).length).toBeGreaterThanOrEqual(9);
    for (const [method, url, payload] of forbidden) {
      expectProblemCode(await call(method, url, accessToken, payload), 'impersonation_forbidden', `${method} ${url}`);
    }
    // Looking is allowed, and nothing above changed the account.
    expect((await call('GET', '/user/passkeys', accessToken)).statusCode).toBe(200);
    expect((await call('PATCH', '/user/me', accessToken, { firstName: 'Janet' })).statusCode).toBe(200);
    expect((await me(t.app, user.accessToken)).statusCode).toBe(200);
    expect((await login(t.app, user)).userId).toBe(user.userId);
  });

  it('refuses an admin, a deactivated or a banned target with 403, and an unknown one with 404', async () => {
    const other = await signedInAdmin(t.app);
    const deactivated = await register(t.app);
    await asAdmin(t.app, admin, 'PATCH', `/admin/users/${deactivated.id}`, { isActive: false });
    const banned = await register(t.app);
    await ban(t.app, admin, banned.id, { reason: 'Spam' });
    for (const id of [other.userId, admin.userId, deactivated.id, banned.id]) {
      const res = await asAdmin(t.app, admin, 'POST', `/admin/users/${id}/impersonate`, { reason: REASON });
      expect({ id, status: res.statusCode }).toEqual({ id, status: 403 });
    }
    const unknown = await asAdmin(t.app, admin, 'POST', `/admin/users/${randomUUID()}/impersonate`, { reason: REASON });
    expect(unknown.statusCode).toBe(404);
    expect(await auditRowsFor(t.dataSource, banned.id, 'admin.impersonation_started')).toEqual([]);
  });

  it('lists its session to the user without address or user agent, never as a seen device; the user may end it', async () => {
    const user = await registerAndLogin(t.app);
    const devices = `SELECT count(*)::int AS n FROM known_devices WHERE user_id = $1`;
    const [before] = (await t.dataSource.query(devices, [user.userId])) as { n: number }[];
    const { accessToken } = await impersonate(t.app, admin, user.userId);
    const agent = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0' };
    expect((await get(t.app, '/user/me', { ...bearer(accessToken), ...agent })).statusCode).toBe(200);
    const sessions = await sessionsOf(user);
    const impersonation = sessions.find((session) => session.impersonation === true);
    expect(impersonation).toMatchObject({ ipAddress: null, userAgent: null, current: false, impersonation: true });
    expect(sessions.find((session) => session.current)).toMatchObject({ impersonation: false });
    expect((await t.dataSource.query(devices, [user.userId])) as { n: number }[]).toEqual([before]);

    expect((await call('DELETE', `/user/sessions/${String(impersonation?.id)}`, user.accessToken)).statusCode).toBe(
      204,
    );
    expect((await me(t.app, accessToken)).statusCode).toBe(401);
    expect(await auditRowsFor(t.dataSource, user.userId, 'admin.impersonation_ended')).toEqual([
      expect.objectContaining({ actorId: admin.userId, details: expect.objectContaining({ reason: 'user_revoked' }) }),
    ]);
  });

  it('ends at logout with the token; rows written meanwhile name the admin as actor, with details.impersonation', async () => {
    const user = await registerAndLogin(t.app);
    const { accessToken } = await impersonate(t.app, admin, user.userId);
    const sid = claimsOf(accessToken).sid as string;
    expect((await call('POST', '/user/auth/logout', accessToken, {})).statusCode).toBe(204);
    expect((await me(t.app, accessToken)).statusCode).toBe(401);
    expect((await me(t.app, user.accessToken)).statusCode).toBe(200);
    const logout = await auditRowsFor(t.dataSource, user.userId, 'logout');
    expect(logout).toEqual([
      expect.objectContaining({
        actorId: admin.userId,
        targetUserId: user.userId,
        details: expect.objectContaining({ impersonation: true, sessionId: sid }),
      }),
    ]);
    expect(await auditRowsFor(t.dataSource, user.userId, 'admin.impersonation_ended')).toEqual([
      expect.objectContaining({
        actorId: admin.userId,
        details: expect.objectContaining({ reason: 'logout', sessionId: sid }),
      }),
    ]);

    // Its own session may be ended with the token too; the row is the admin's.
    const second = await impersonate(t.app, admin, user.userId);
    const ownSid = claimsOf(second.accessToken).sid as string;
    expect((await call('DELETE', `/user/sessions/${ownSid}`, second.accessToken)).statusCode).toBe(204);
    expect(await auditRowsFor(t.dataSource, user.userId, 'session.revoked')).toEqual([
      expect.objectContaining({ actorId: admin.userId, details: expect.objectContaining({ impersonation: true }) }),
    ]);
  });

  it("shows the start to the user, with the reason but never the admin's address or user agent, and mails them", async () => {
    const user = await registerAndLogin(t.app);
    const started = await asAdmin(
      t.app,
      admin,
      'POST',
      `/admin/users/${user.userId}/impersonate`,
      { reason: REASON },
      { 'user-agent': 'AdminConsole/1.0' },
    );
    expect(started.statusCode).toBe(200);
    const activity = await call('GET', '/user/me/activity', user.accessToken);
    const item = (activity.json() as { items: Record<string, unknown>[] }).items.find(
      (row) => row.action === 'admin.impersonation_started',
    );
    expect(item).toMatchObject({ actor: 'administrator', actorId: null, ipAddress: null, userAgent: null });
    expect(item?.details).toMatchObject({ reason: REASON });
    expect(JSON.stringify(activity.json())).not.toContain('AdminConsole');

    const trail = await asAdmin(
      t.app,
      admin,
      'GET',
      `/admin/audit?action=admin.impersonation_started&targetUserId=${user.userId}`,
    );
    expect((trail.json() as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ actorId: admin.userId, targetUserId: user.userId, userAgent: 'AdminConsole/1.0' }),
    ]);
    const mail = await waitForMail(t.logDir, (m) => m.to === user.email && m.event === 'impersonation_started');
    expect(mail.text).toContain(REASON);
    expect(mail.text).toContain('By: an administrator');
    expect(mail.text).not.toContain('AdminConsole');
  });
});
