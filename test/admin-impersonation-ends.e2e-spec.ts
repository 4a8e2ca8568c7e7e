import { RetentionService } from '../src/retention/retention.service';
import { registerAndLogin, signedInAdmin, SignedInClient } from './support/accounts';
import { asAdmin, ban, claimsOf, impersonate, me } from './support/admin-tools';
import { auditRowsFor } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { startTestApp, TestApp } from './support/test-app';

const MINUTE_MS = 60_000;

describe('the end of an impersonation token', () => {
  let t: TestApp;
  let admin: SignedInClient;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { IMPERSONATION_MINUTES: '10' } });
    admin = await signedInAdmin(t.app);
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  /** A second admin impersonating a new user: the token, the user and the impersonating admin. */
  async function impersonation(): Promise<{ token: string; user: SignedInClient; impersonator: SignedInClient }> {
    const impersonator = await signedInAdmin(t.app);
    const user = await registerAndLogin(t.app);
    const { accessToken } = await impersonate(t.app, impersonator, user.userId);
    expect((await me(t.app, accessToken)).statusCode).toBe(200);
    return { token: accessToken, user, impersonator };
  }

  it('lives IMPERSONATION_MINUTES, then answers 401, and the retention job records its end as expired', async () => {
    const user = await registerAndLogin(t.app);
    const issued = await impersonate(t.app, admin, user.userId);
    expect(issued.expiresIn).toBe(600);
    const claims = claimsOf(issued.accessToken);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    clock.advance(10 * MINUTE_MS - 5000);
    expect((await me(t.app, issued.accessToken)).statusCode).toBe(200);
    clock.advance(10_000);
    expect((await me(t.app, issued.accessToken)).statusCode).toBe(401);
    // The user's own session lives on.
    expect((await me(t.app, user.accessToken)).statusCode).toBe(200);

    expect((await t.app.get(RetentionService).purgeNow()).impersonationsEnded).toBeGreaterThanOrEqual(1);
    expect(await auditRowsFor(t.dataSource, user.userId, 'admin.impersonation_ended')).toEqual([
      expect.objectContaining({
        actorId: admin.userId,
        targetUserId: user.userId,
        details: expect.objectContaining({ reason: 'expired', sessionId: claims.sid }),
      }),
    ]);
    await t.app.get(RetentionService).purgeNow();
    expect(await auditRowsFor(t.dataSource, user.userId, 'admin.impersonation_ended')).toHaveLength(1);
  });

  it('stops working when the user is promoted to admin', async () => {
    const { token, user } = await impersonation();
    expect((await asAdmin(t.app, admin, 'PATCH', `/admin/users/${user.userId}`, { role: 'admin' })).statusCode).toBe(
      200,
    );
    expect((await me(t.app, token)).statusCode).toBe(401);
  });

  it('stops working when the user is deactivated or banned', async () => {
    const deactivated = await impersonation();
    await asAdmin(t.app, admin, 'PATCH', `/admin/users/${deactivated.user.userId}`, { isActive: false });
    expect((await me(t.app, deactivated.token)).statusCode).toBe(401);
    const banned = await impersonation();
    expect((await ban(t.app, admin, banned.user.userId, { reason: 'Spam' })).statusCode).toBe(200);
    expect((await me(t.app, banned.token)).statusCode).toBe(401);
    expect(await auditRowsFor(t.dataSource, banned.user.userId, 'admin.impersonation_ended')).toEqual([
      expect.objectContaining({
        actorId: banned.impersonator.userId,
        details: expect.objectContaining({ reason: 'banned' }),
      }),
    ]);
  });

  it('stops working at once when the impersonating admin is demoted', async () => {
    const { token, user, impersonator } = await impersonation();
    const demoted = await asAdmin(t.app, admin, 'PATCH', `/admin/users/${impersonator.userId}`, { role: 'user' });
    expect(demoted.statusCode).toBe(200);
    expect((await me(t.app, token)).statusCode).toBe(401);
    expect((await me(t.app, user.accessToken)).statusCode).toBe(200);
  });

  it('stops working when the impersonating admin is deactivated, banned or deleted', async () => {
    const deactivated = await impersonation();
    await asAdmin(t.app, admin, 'PATCH', `/admin/users/${deactivated.impersonator.userId}`, { isActive: false });
    expect((await me(t.app, deactivated.token)).statusCode).toBe(401);

    const banned = await impersonation();
    expect(
      (await ban(t.app, admin, banned.impersonator.userId, { reason: 'Misuse of support tools' })).statusCode,
    ).toBe(200);
    expect((await me(t.app, banned.token)).statusCode).toBe(401);

    const deleted = await impersonation();
    expect((await asAdmin(t.app, admin, 'DELETE', `/admin/users/${deleted.impersonator.userId}`)).statusCode).toBe(204);
    expect((await me(t.app, deleted.token)).statusCode).toBe(401);
    expect((await me(t.app, deleted.user.accessToken)).statusCode).toBe(200);
  });

  it('ends for good: neither a ban of the admin that runs out nor a promotion back brings the token back', async () => {
    const banned = await impersonation();
    const until = new Date(clock.now().getTime() + 2 * MINUTE_MS).toISOString();
    const cooling = { reason: 'Cooling off', until };
    expect((await ban(t.app, admin, banned.impersonator.userId, cooling)).statusCode).toBe(200);
    expect((await me(t.app, banned.token)).statusCode).toBe(401);
    clock.advance(2 * MINUTE_MS + 1000);
    expect((await me(t.app, banned.token)).statusCode).toBe(401);

    const demoted = await impersonation();
    const id = demoted.impersonator.userId;
    expect((await asAdmin(t.app, admin, 'PATCH', `/admin/users/${id}`, { role: 'user' })).statusCode).toBe(200);
    expect((await asAdmin(t.app, admin, 'PATCH', `/admin/users/${id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await me(t.app, demoted.token)).statusCode).toBe(401);
    expect(await auditRowsFor(t.dataSource, demoted.user.userId, 'admin.impersonation_ended')).toEqual([
      expect.objectContaining({ actorId: id, details: expect.objectContaining({ reason: 'admin_demoted' }) }),
    ]);
  });
});
