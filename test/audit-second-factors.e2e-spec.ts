import { bearer, registerAndLogin, SignedInClient, STRONG_PASSWORD, signedInAdmin } from './support/accounts';
import { auditRowsOf } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, passwordStep, secondStep } from './support/mfa';
import { del, post } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('audit trail: second factors', () => {
  const clock = new ControlledClock();
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { LOCKOUT_THRESHOLD: '2', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' } });
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  it('records enabling, a wrong code, a completed second step, regeneration, disabling and the admin reset', async () => {
    const account = await registerAndLogin(t.app);
    const { secret } = await enableTotp(t.app, account, clock);
    const mfaToken = await passwordStep(t.app, account);
    expect((await secondStep(t.app, mfaToken, '000000')).statusCode).toBe(401);
    expect((await secondStep(t.app, mfaToken, codeFor(secret, clock))).statusCode).toBe(200);
    const regenerated = await post(
      t.app,
      '/user/mfa/recovery-codes',
      { password: STRONG_PASSWORD },
      bearer(account.accessToken),
    );
    expect(regenerated.statusCode).toBe(200);
    const reset = await del(t.app, `/admin/users/${account.userId}/mfa`, bearer(admin.accessToken));
    expect(reset.statusCode).toBe(204);

    const rows = (await auditRowsOf(t.dataSource, account.userId)).filter((row) => row.action !== 'login.succeeded');
    expect(rows.map((row) => [row.action, row.outcome, row.actorId])).toEqual([
      ['user.registered', 'success', null],
      ['mfa.enabled', 'success', account.userId],
      ['mfa.failed', 'failure', null],
      ['mfa.succeeded', 'success', account.userId],
      ['recovery_codes.regenerated', 'success', account.userId],
      ['admin.mfa_reset', 'success', admin.userId],
    ]);
    for (const row of rows) expect(row.targetUserId).toBe(account.userId);
    expect(rows.find((row) => row.action === 'mfa.succeeded')?.details).toEqual({
      sessionId: expect.any(String) as unknown,
      method: 'totp',
    });
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('a wrong code that locks the account writes mfa.failed and account.locked', async () => {
    const account = await registerAndLogin(t.app);
    await enableTotp(t.app, account, clock);
    const mfaToken = await passwordStep(t.app, account);
    await secondStep(t.app, mfaToken, '000000');
    await secondStep(t.app, mfaToken, '111111');
    const rows = await auditRowsOf(t.dataSource, account.userId);
    const failures = rows.filter((row) => row.action === 'mfa.failed' || row.action === 'account.locked');
    // The lock's row and the failure that started it share one instant: compared as a set.
    expect(failures.map((row) => `${row.action}:${row.outcome}`).sort()).toEqual([
      'account.locked:success',
      'mfa.failed:failure',
      'mfa.failed:failure',
    ]);
  });

  it('disabling TOTP is recorded by its owner', async () => {
    const account = await registerAndLogin(t.app);
    const { secret } = await enableTotp(t.app, account, clock);
    const disabled = await post(
      t.app,
      '/user/mfa/totp/disable',
      { password: STRONG_PASSWORD, code: codeFor(secret, clock) },
      bearer(account.accessToken),
    );
    expect(disabled.statusCode).toBe(204);
    const actions = (await auditRowsOf(t.dataSource, account.userId)).map((row) => row.action);
    expect(actions.slice(-2)).toEqual(['mfa.enabled', 'mfa.disabled']);
  });
});
