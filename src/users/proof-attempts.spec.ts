import { AuditTrail } from '../audit/audit-trail';
import { Mocked, newTestService, runsAsWritten } from '../common/testing/automock';
import { PasswordHasher } from '../passwords/password-hasher';
import { LockoutService } from '../security/lockout/lockout.service';
import { User } from './entities/user.entity';
import { ProofAttempts } from './proof-attempts';

const USER = { id: 'u-1', email: 'jane@example.com', passwordHash: 'hash' } as User;
const CONTEXT = { user: USER, route: 'POST /user/mfa/totp/disable', ipAddress: '203.0.113.9' };

describe('ProofAttempts', () => {
  let proofs: ProofAttempts;
  let lockout: Mocked<LockoutService>;
  let audit: Mocked<AuditTrail>;
  let hasher: Mocked<PasswordHasher>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(ProofAttempts);
    proofs = sut;
    lockout = mock(LockoutService);
    runsAsWritten(lockout, LockoutService, 'attempt');
    lockout.settleFailure.mockResolvedValue(false);
    audit = mock(AuditTrail);
    hasher = mock(PasswordHasher);
  });

  it('gives a right password its reservation back and records nothing', async () => {
    hasher.verify.mockResolvedValue(true);
    expect(await proofs.passwordMatches(CONTEXT, 'right')).toBe(true);
    expect(lockout.reserve).toHaveBeenCalledWith(USER.email, 'password');
    expect(lockout.release).toHaveBeenCalledWith(USER.email, 'password');
    expect(lockout.settleFailure).not.toHaveBeenCalled();
    expect(audit.recordFailure).not.toHaveBeenCalled();
  });

  it('counts a wrong code on the code counter and records reauth.failed with route and method', async () => {
    expect(await proofs.judge(CONTEXT, 'recovery_code', () => Promise.resolve(false))).toBe(false);
    expect(lockout.reserve).toHaveBeenCalledWith(USER.email, 'code');
    expect(lockout.settleFailure).toHaveBeenCalledWith(USER.email, '203.0.113.9', 'code');
    expect(lockout.release).not.toHaveBeenCalled();
    expect(audit.recordFailure).toHaveBeenCalledWith(
      {
        action: 'reauth.failed',
        actorId: USER.id,
        targetUserId: USER.id,
        details: { route: CONTEXT.route, method: 'recovery_code' },
      },
      undefined,
    );
  });

  it('records the lock a wrong password started beside the failure', async () => {
    lockout.settleFailure.mockResolvedValue(true);
    hasher.verify.mockResolvedValue(false);
    await proofs.passwordMatches(CONTEXT, 'wrong');
    expect(audit.recordFailure).toHaveBeenCalledWith(expect.objectContaining({ action: 'reauth.failed' }), {
      email: USER.email,
    });
  });

  it('judges nothing while locked: the 429 of the reservation goes out as it is', async () => {
    const locked = new Error('429');
    lockout.reserve.mockRejectedValue(locked);
    const verdict = jest.fn();
    await expect(proofs.judge(CONTEXT, 'totp', verdict)).rejects.toBe(locked);
    expect(verdict).not.toHaveBeenCalled();
  });

  it('gives the reservation back when the verdict fails with an error', async () => {
    const broken = new Error('database gone');
    await expect(proofs.judge(CONTEXT, 'totp', () => Promise.reject(broken))).rejects.toBe(broken);
    expect(lockout.release).toHaveBeenCalledWith(USER.email, 'code');
    expect(audit.recordFailure).not.toHaveBeenCalled();
  });
});
