import { bearer, login, register, signedInAdmin, SignedInClient } from './support/accounts';
import { auditRowsFor } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, passwordStep, secondStep } from './support/mfa';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

const ADMIN_CLIENT = { remoteAddress: '198.51.100.77', headers: { 'user-agent': 'admin-console/9.9' } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ActivityItem {
  action: string;
  actorId: string | null;
  actor?: string;
  ipAddress: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

jest.setTimeout(60_000);

describe('Audit rows: whose request, which factor, and what a user sees of an administrator', () => {
  let t: TestApp;
  let admin: SignedInClient;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  async function activity(client: SignedInClient): Promise<{ body: string; items: ActivityItem[] }> {
    const res = await get(t.app, '/user/me/activity', bearer(client.accessToken));
    expect(res.statusCode).toBe(200);
    return { body: res.body, items: (res.json() as { items: ActivityItem[] }).items };
  }

  it("never shows a user an administrator's id, address or user agent", async () => {
    const credentials = await register(t.app);
    const user = await login(t.app, credentials);
    await enableTotp(t.app, user, clock);
    const asAdmin = { ...ADMIN_CLIENT, headers: { ...ADMIN_CLIENT.headers, ...bearer(admin.accessToken) } };
    const updated = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${user.userId}`,
      payload: { role: 'user' },
      ...asAdmin,
      headers: { ...asAdmin.headers, 'x-request-id': 'admin-tool-run-42' },
    });
    expect(updated.statusCode).toBe(200);
    const reset = await t.app.inject({ method: 'DELETE', url: `/admin/users/${user.userId}/mfa`, ...asAdmin });
    expect(reset.statusCode).toBe(204);

    const again = await login(t.app, credentials);
    const { body, items } = await activity(again);
    const byAdmin = items.filter((item) => item.action.startsWith('admin.'));
    expect(byAdmin.map((item) => item.action)).toEqual(['admin.mfa_reset', 'admin.user_updated']);
    for (const item of byAdmin) {
      expect(item).toMatchObject({ actor: 'administrator', actorId: null, ipAddress: null, userAgent: null });
      expect(item.details).not.toHaveProperty('clientRequestId');
    }
    for (const secret of [admin.userId, ADMIN_CLIENT.remoteAddress, 'admin-console', 'admin-tool-run-42']) {
      expect(body).not.toContain(secret);
    }
    // The user's own rows keep their address and agent, and name no actor but the user.
    const own = items.find((item) => item.action === 'mfa.enabled');
    expect(own).toMatchObject({ actorId: again.userId, ipAddress: '127.0.0.1' });
    expect(own).not.toHaveProperty('actor');
    // The administrators' own view is the whole row.
    const trail = await get(
      t.app,
      `/admin/audit?targetUserId=${user.userId}&action=admin.mfa_reset`,
      bearer(admin.accessToken),
    );
    expect((trail.json() as { items: ActivityItem[] }).items).toEqual([
      expect.objectContaining({ actorId: admin.userId, ipAddress: '198.51.100.77', userAgent: 'admin-console/9.9' }),
    ]);
  });

  it('says which second factor completed or failed a sign-in: totp or recovery_code', async () => {
    const credentials = await register(t.app);
    const user = await login(t.app, credentials);
    const { secret, recoveryCodes } = await enableTotp(t.app, user, clock);
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), '000000')).statusCode).toBe(401);
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), 'aaaa-aaaa-aaaa-aaaa')).statusCode).toBe(
      401,
    );
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), codeFor(secret, clock))).statusCode).toBe(
      200,
    );
    expect((await secondStep(t.app, await passwordStep(t.app, credentials), recoveryCodes[0])).statusCode).toBe(200);
    const failed = await auditRowsFor(t.dataSource, user.userId, 'mfa.failed');
    const succeeded = await auditRowsFor(t.dataSource, user.userId, 'mfa.succeeded');
    expect(failed.map((row) => row.details.method)).toEqual(['totp', 'recovery_code']);
    expect(succeeded.map((row) => row.details.method)).toEqual(['totp', 'recovery_code']);
  });

  it("names the service's own request id, never one a client chose: two requests with one id stay two", async () => {
    const credentials = await register(t.app);
    const headers = { 'x-request-id': 'retry-7' };
    const answers = [];
    for (let i = 0; i < 2; i += 1) {
      answers.push(
        await post(t.app, '/user/auth/login', { email: credentials.email, password: 'Not-The-Password-7' }, headers),
      );
    }
    // The response still echoes the client's id, as every response does.
    expect(answers.map((res) => res.headers['x-request-id'])).toEqual(['retry-7', 'retry-7']);
    const rows = await auditRowsFor(t.dataSource, credentials.id, 'login.failed');
    expect(rows.map((row) => row.details.clientRequestId)).toEqual(['retry-7', 'retry-7']);
    const ids = rows.map((row) => row.requestId);
    expect(ids).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(new Set(ids).size).toBe(2);
    // Without a client id, the row names the id the response carried, and no client id.
    const plain = await post(t.app, '/user/auth/login', { email: credentials.email, password: credentials.password });
    const [succeeded] = await auditRowsFor(t.dataSource, credentials.id, 'login.succeeded');
    expect(succeeded.requestId).toBe(plain.headers['x-request-id']);
    expect(succeeded.details).not.toHaveProperty('clientRequestId');
  });
});
