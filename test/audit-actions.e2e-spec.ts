import { EmailVerificationService } from '../src/auth/email-tokens/email-verification.service';
import { ProblemException } from '../src/common/problem-details/problem.exception';
import { OneTimeTokenRepository } from '../src/one-time-tokens/one-time-token.repository';
import { SessionsService } from '../src/sessions/sessions.service';
import {
  bearer,
  login,
  register,
  registerAndLogin,
  SignedInClient,
  STRONG_PASSWORD,
  uniqueEmail,
  signedInAdmin,
} from './support/accounts';
import { auditRowsFor, auditRowsOf } from './support/audit-rows';
import { startTestApp, TestApp } from './support/test-app';
import { del, patch, post } from './support/http';

const AGENT = { 'user-agent': 'audit-test/1.0' };
const NEW_PASSWORD = 'Another-Str0ng-Passphrase';

function sessionIdOf(accessToken: string): string {
  return (JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
}

describe('audit trail: each action writes its row in the change transaction', () => {
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOCKOUT_THRESHOLD: '3', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' } });
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('registration and login: user.registered and login.succeeded, with client, request id and session', async () => {
    const email = uniqueEmail();
    const registered = await post(
      t.app,
      '/user/auth/register',
      { firstName: 'Ann', lastName: 'Lee', email, password: STRONG_PASSWORD },
      { ...AGENT, 'x-request-id': 'reg-req-1' },
    );
    expect(registered.statusCode).toBe(201);
    const userId = (registered.json() as { id: string }).id;
    const signedIn = await post(t.app, '/user/auth/login', { email, password: STRONG_PASSWORD }, AGENT);
    expect(signedIn.statusCode).toBe(200);

    const rows = await auditRowsOf(t.dataSource, userId);
    expect(rows.map((row) => row.action)).toEqual(['user.registered', 'login.succeeded']);
    expect(rows[0]).toMatchObject({
      outcome: 'success',
      actorId: null,
      targetUserId: userId,
      ipAddress: '127.0.0.1',
      userAgent: 'audit-test/1.0',
      // The client chose its X-Request-Id: the row names the service's own id, and keeps the client's apart.
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      details: { clientRequestId: 'reg-req-1' },
    });
    expect(rows[1]).toMatchObject({
      outcome: 'success',
      actorId: userId,
      targetUserId: userId,
      userAgent: 'audit-test/1.0',
      requestId: signedIn.headers['x-request-id'],
      details: { sessionId: sessionIdOf((signedIn.json() as { accessToken: string }).accessToken) },
    });
  });

  it('names the response X-Request-Id over real HTTP, for JSON and form bodies alike', async () => {
    const account = await register(t.app);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const json = await fetch(`http://127.0.0.1:${port}/user/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const form = await fetch(`http://127.0.0.1:${port}/user/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'form-login.7' },
      body: new URLSearchParams({ email: account.email, password: 'wrong password' }).toString(),
    });
    expect([json.status, form.status]).toEqual([200, 401]);
    const succeeded = await auditRowsFor(t.dataSource, account.id, 'login.succeeded');
    const failed = await auditRowsFor(t.dataSource, account.id, 'login.failed');
    expect(succeeded.map((row) => row.requestId)).toEqual([json.headers.get('x-request-id')]);
    expect(failed.map((row) => [row.requestId, row.details.clientRequestId])).toEqual([
      [expect.stringMatching(/^[0-9a-f-]{36}$/), 'form-login.7'],
    ]);
  });

  it('a failed login writes one failure row; the failure that locks the account writes two', async () => {
    const account = await register(t.app);
    const attempt = () => post(t.app, '/user/auth/login', { email: account.email, password: 'nope-nope' });
    expect((await attempt()).statusCode).toBe(401);
    let rows = await auditRowsOf(t.dataSource, account.id);
    expect(rows.filter((row) => row.action !== 'user.registered')).toEqual([
      expect.objectContaining({
        action: 'login.failed',
        outcome: 'failure',
        actorId: null,
        targetUserId: account.id,
        details: { email: account.email, reason: 'bad_credentials' },
      }),
    ]);
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401); // the third: the lock starts
    rows = await auditRowsOf(t.dataSource, account.id);
    expect(rows.filter((row) => row.action === 'login.failed')).toHaveLength(3);
    expect(rows.filter((row) => row.action === 'account.locked')).toEqual([
      expect.objectContaining({ actorId: null, targetUserId: account.id, details: { email: account.email } }),
    ]);
    // The unknown address: no account concerned.
    const unknown = uniqueEmail('ghost');
    const ghost = await post(t.app, '/user/auth/login', { email: unknown, password: 'whatever1' });
    const stored = (await t.dataSource.query(
      `SELECT actor_id, target_user_id, outcome, request_id FROM audit_events WHERE details->>'email' = $1`,
      [unknown],
    )) as { actor_id: null; target_user_id: null; outcome: string; request_id: string }[];
    expect(stored).toEqual([
      { actor_id: null, target_user_id: null, outcome: 'failure', request_id: ghost.headers['x-request-id'] },
    ]);
  });

  it('refresh-token reuse, logout, session revoked and logout-all write their rows', async () => {
    const client = await registerAndLogin(t.app);
    const rotated = await post(t.app, '/user/auth/refresh', { refreshToken: client.refreshToken });
    expect(rotated.statusCode).toBe(200);
    const reuse = await post(t.app, '/user/auth/refresh', { refreshToken: client.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect(await auditRowsFor(t.dataSource, client.userId, 'refresh.reuse_detected')).toEqual([
      expect.objectContaining({
        outcome: 'failure',
        actorId: null,
        targetUserId: client.userId,
        requestId: reuse.headers['x-request-id'],
        details: { sessionId: sessionIdOf(client.accessToken) },
      }),
    ]);

    const second = await login(t.app, client);
    const third = await login(t.app, client);
    const out = await post(t.app, '/user/auth/logout', undefined, bearer(second.accessToken));
    expect(out.statusCode).toBe(204);
    // A second logout of the same session changes nothing and records nothing.
    await post(t.app, '/user/auth/logout', undefined, bearer(second.accessToken));
    expect(await auditRowsFor(t.dataSource, client.userId, 'logout')).toEqual([
      expect.objectContaining({
        actorId: client.userId,
        targetUserId: client.userId,
        details: { sessionId: sessionIdOf(second.accessToken) },
      }),
    ]);

    const fourth = await login(t.app, client);
    const revoked = await del(t.app, `/user/sessions/${sessionIdOf(third.accessToken)}`, bearer(fourth.accessToken));
    expect(revoked.statusCode).toBe(204);
    expect(await auditRowsFor(t.dataSource, client.userId, 'session.revoked')).toEqual([
      expect.objectContaining({
        actorId: client.userId,
        targetUserId: client.userId,
        details: { sessionId: sessionIdOf(third.accessToken) },
      }),
    ]);

    const all = await post(t.app, '/user/auth/logout-all', undefined, bearer(fourth.accessToken));
    expect(all.statusCode).toBe(204);
    expect(await auditRowsFor(t.dataSource, client.userId, 'logout_all')).toEqual([
      expect.objectContaining({ actorId: client.userId, targetUserId: client.userId, outcome: 'success' }),
    ]);
  });

  it('password change, password reset and email verification write their rows', async () => {
    const client = await registerAndLogin(t.app);
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: client.password, newPassword: NEW_PASSWORD },
      bearer(client.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    expect(await auditRowsFor(t.dataSource, client.userId, 'password.changed')).toEqual([
      expect.objectContaining({ actorId: client.userId, targetUserId: client.userId, details: {} }),
    ]);

    const tokens = t.app.get(OneTimeTokenRepository);
    const resetToken = await tokens.issue(client.userId, 'reset_password', t.dataSource.manager);
    const reset = await post(t.app, '/user/auth/reset-password', {
      token: resetToken,
      newPassword: 'Third-Str0ng-Passphrase',
    });
    expect(reset.statusCode).toBe(200);
    const verifyToken = await tokens.issue(client.userId, 'verify_email', t.dataSource.manager);
    const verified = await post(t.app, '/user/auth/verify-email', { token: verifyToken });
    expect(verified.statusCode).toBe(200);
    for (const action of ['password.reset', 'email.verified']) {
      expect(await auditRowsFor(t.dataSource, client.userId, action)).toEqual([
        expect.objectContaining({ actorId: client.userId, targetUserId: client.userId, outcome: 'success' }),
      ]);
    }
    // Never a secret in any row.
    const everything = JSON.stringify(await auditRowsOf(t.dataSource, client.userId));
    for (const secret of [client.password, NEW_PASSWORD, resetToken, verifyToken, client.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('admin update and delete, and deleting one’s own account, write rows that outlive the account', async () => {
    const target = await registerAndLogin(t.app);
    const updated = await patch(t.app, `/admin/users/${target.userId}`, { isActive: false }, bearer(admin.accessToken));
    expect(updated.statusCode).toBe(200);
    const deleted = await del(t.app, `/admin/users/${target.userId}`, bearer(admin.accessToken));
    expect(deleted.statusCode).toBe(204);
    const rows = await auditRowsOf(t.dataSource, target.userId);
    expect(rows.filter((row) => row.action.startsWith('admin.'))).toEqual([
      expect.objectContaining({
        action: 'admin.user_updated',
        actorId: admin.userId,
        targetUserId: target.userId,
        details: { role: null, isActive: false },
      }),
      expect.objectContaining({ action: 'admin.user_deleted', actorId: admin.userId, targetUserId: target.userId }),
    ]);

    const self = await registerAndLogin(t.app);
    const gone = await del(t.app, '/user/me', bearer(self.accessToken), { password: self.password });
    expect(gone.statusCode).toBe(204);
    expect(await auditRowsFor(t.dataSource, self.userId, 'account.deleted')).toEqual([
      expect.objectContaining({ actorId: self.userId, targetUserId: self.userId }),
    ]);
  });

  // A step after the row's insert fails (answered 503, as a database outage would be): all rolls back.
  it('a change that rolls back leaves no row: a registration whose mail step fails, a password change whose session fails', async () => {
    jest
      .spyOn(t.app.get(EmailVerificationService), 'queue')
      .mockRejectedValueOnce(new ProblemException(503, 'mail step failed'));
    const email = uniqueEmail('rollback');
    const refused = await post(t.app, '/user/auth/register', {
      firstName: 'Rob',
      lastName: 'Back',
      email,
      password: STRONG_PASSWORD,
    });
    expect(refused.statusCode).toBe(503);
    expect(await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
    const registrations = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1`,
      [refused.headers['x-request-id']],
    )) as { n: number }[];
    expect(registrations[0].n).toBe(0);

    const client = await registerAndLogin(t.app);
    jest
      .spyOn(t.app.get(SessionsService), 'start')
      .mockRejectedValueOnce(new ProblemException(503, 'session step failed'));
    const failed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: client.password, newPassword: NEW_PASSWORD },
      bearer(client.accessToken),
    );
    expect(failed.statusCode).toBe(503);
    expect(await auditRowsFor(t.dataSource, client.userId, 'password.changed')).toEqual([]);
    // The old password still works: the change itself rolled back with its row.
    await expect(login(t.app, client)).resolves.toMatchObject({ userId: client.userId });
  });
});
