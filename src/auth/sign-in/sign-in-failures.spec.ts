import { AuditTrail } from '../../audit/audit-trail';
import { Mocked, newTestService } from '../../common/testing/automock';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../../security/security-logger';
import { FailureRow, SignInFailures } from './sign-in-failures';

const PASSWORD_ROW: FailureRow = {
  action: 'login.failed',
  actorId: null,
  targetUserId: 'u-1',
  details: { email: 'jane@example.com', reason: 'bad_credentials' },
  locked: false,
};
const LOG = { success: false, email: 'jane@example.com', ip_address: '203.0.113.9' };

describe('SignInFailures', () => {
  let failures: SignInFailures;
  let audit: Mocked<AuditTrail>;
  let metrics: Mocked<MetricsService>;
  let security: Mocked<SecurityLogger>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(SignInFailures);
    failures = sut;
    audit = mock(AuditTrail);
    metrics = mock(MetricsService);
    security = mock(SecurityLogger);
  });

  it('writes the failure row on its own, counts a failed login and logs the line as given', async () => {
    await failures.record({ event: 'auth_attempt', log: LOG, row: PASSWORD_ROW });
    const { locked: _locked, ...row } = PASSWORD_ROW;
    expect(audit.recordFailure).toHaveBeenCalledWith(row, undefined);
    expect(metrics.loginAttempt).toHaveBeenCalledWith('failure');
    expect(security.warn).toHaveBeenCalledWith('auth_attempt', LOG);
  });

  it('commits the lock a failure started together with it, naming the address the failure named', async () => {
    await failures.record({ event: 'auth_attempt', log: LOG, row: { ...PASSWORD_ROW, locked: true } });
    const { locked: _locked, ...row } = PASSWORD_ROW;
    expect(audit.recordFailure).toHaveBeenCalledWith(row, { email: 'jane@example.com' });
  });

  it('writes a lock row without details after a wrong code, whose row names no address', async () => {
    const codeRow: FailureRow = {
      action: 'mfa.failed',
      actorId: null,
      targetUserId: 'u-1',
      details: { method: 'totp' },
      locked: true,
    };
    await failures.record({ event: 'mfa_failed', log: {}, row: codeRow });
    expect(audit.recordFailure).toHaveBeenCalledWith(expect.objectContaining({ action: 'mfa.failed' }), {
      email: undefined,
    });
  });

  it('writes no row for a refusal that judged no secret, yet counts and logs it', async () => {
    await failures.record({ event: 'passkey_sign_in_failed', log: { reason: 'unknown_credential' } });
    expect(audit.recordFailure).not.toHaveBeenCalled();
    expect(metrics.loginAttempt).toHaveBeenCalledWith('failure');
    expect(security.warn).toHaveBeenCalledWith('passkey_sign_in_failed', { reason: 'unknown_credential' });
  });

  it('does not count a refused step-up of a signed-in user as a failed login', async () => {
    await failures.record({ event: 'reauth_failed', log: {}, countsAsLogin: false });
    expect(metrics.loginAttempt).not.toHaveBeenCalled();
    expect(security.warn).toHaveBeenCalledWith('reauth_failed', {});
  });

  it('neither counts nor logs a failure whose row the database did not take (the request fails with it)', async () => {
    audit.recordFailure.mockRejectedValue(new Error('Connection terminated'));
    await expect(failures.record({ event: 'auth_attempt', log: LOG, row: PASSWORD_ROW })).rejects.toThrow();
    expect(metrics.loginAttempt).not.toHaveBeenCalled();
    expect(security.warn).not.toHaveBeenCalled();
  });
});
