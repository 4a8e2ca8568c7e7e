import { ProblemException } from '../../common/problem-details/problem.exception';
import { Mocked, newTestService, runsAsWritten } from '../../common/testing/automock';
import { MfaLoginToken } from '../../mfa/entities/mfa-login-token.entity';
import { MfaChallenges } from '../../mfa/mfa-challenges';
import { LockoutService } from '../../security/lockout/lockout.service';
import { SecurityLogger } from '../../security/security-logger';
import { tooManyRequests } from '../../security/too-many-requests';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { MfaSignIn } from './mfa-sign-in';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility } from './sign-in-eligibility';
import { LOGIN_FAILED, SignInFailures } from './sign-in-failures';

const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'jest' };
const SIGNED_IN = { accessToken: 'access' } as SignedIn;
const TOKEN = { id: 't-1', userId: 'u-1', tokenVersion: 3 } as MfaLoginToken;
const account = (changes: Partial<User> = {}): User =>
  ({ id: 'u-1', email: 'jane@example.com', isActive: true, mfaEnabled: true, tokenVersion: 3, ...changes }) as User;

describe('MfaSignIn (the second step)', () => {
  let mfaSignIn: MfaSignIn;
  let challenges: Mocked<MfaChallenges>;
  let users: Mocked<UsersService>;
  let lockout: Mocked<LockoutService>;
  let failures: Mocked<SignInFailures>;
  let issuer: Mocked<SessionIssuer>;
  let security: Mocked<SecurityLogger>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(MfaSignIn, [SignInEligibility]);
    mfaSignIn = sut;
    challenges = mock(MfaChallenges);
    users = mock(UsersService);
    lockout = mock(LockoutService);
    failures = mock(SignInFailures);
    issuer = mock(SessionIssuer);
    security = mock(SecurityLogger);
    runsAsWritten(lockout, LockoutService, 'attempt');
    runsAsWritten(challenges, MfaChallenges, 'belongsToCurrentSessions');
    lockout.settleFailure.mockResolvedValue(false);
    challenges.find.mockResolvedValue(TOKEN);
    users.findById.mockResolvedValue(account());
    issuer.start.mockResolvedValue(SIGNED_IN);
  });

  const refusal = () => mfaSignIn.complete('mfa-token', '123456', CLIENT).catch((error: unknown) => error);

  it('completes the sign-in with the right code: the code counter is cleared and a session starts', async () => {
    challenges.complete.mockResolvedValue({ outcome: 'completed', method: 'totp' });
    await expect(mfaSignIn.complete('mfa-token', '123456', CLIENT)).resolves.toBe(SIGNED_IN);
    expect(lockout.reserve).toHaveBeenCalledWith('jane@example.com', 'code');
    expect(lockout.settleSuccess).toHaveBeenCalledWith('jane@example.com', 'code');
    expect(issuer.start).toHaveBeenCalledWith(account(), CLIENT, {
      action: 'mfa.succeeded',
      details: { method: 'totp' },
    });
    expect(security.event).toHaveBeenCalledWith('mfa_succeeded', expect.objectContaining({ method: 'totp' }));
  });

  it('completes it with a recovery code too, and the audit row names that method', async () => {
    challenges.complete.mockResolvedValue({ outcome: 'completed', method: 'recovery_code' });
    await mfaSignIn.complete('mfa-token', 'ABCD-EFGH-IJKL', CLIENT);
    expect(issuer.start.mock.calls[0][2]).toEqual({ action: 'mfa.succeeded', details: { method: 'recovery_code' } });
  });

  it('counts a wrong code on the code counter, records mfa.failed and answers like a failed login', async () => {
    challenges.complete.mockResolvedValue({ outcome: 'wrong_code', method: 'totp' });
    const refused = await refusal();
    expect((refused as ProblemException).detail).toBe(LOGIN_FAILED);
    expect(lockout.settleFailure).toHaveBeenCalledWith('jane@example.com', CLIENT.ipAddress, 'code');
    expect(failures.record).toHaveBeenCalledWith({
      event: 'mfa_failed',
      log: {
        user_id: 'u-1',
        email: 'jane@example.com',
        method: 'totp',
        reason: 'wrong_code',
        ip_address: CLIENT.ipAddress,
      },
      row: { action: 'mfa.failed', actorId: null, targetUserId: 'u-1', details: { method: 'totp' }, locked: false },
    });
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('records the lock that a wrong code started', async () => {
    challenges.complete.mockResolvedValue({ outcome: 'wrong_code', method: 'totp' });
    lockout.settleFailure.mockResolvedValue(true);
    await refusal();
    expect(failures.record.mock.calls[0][0].row).toMatchObject({ locked: true });
  });

  it('refuses an unknown, expired or spent token before any lockout counting, with no audit row', async () => {
    challenges.find.mockResolvedValue(null);
    expect(await refusal()).toBeInstanceOf(UnauthorizedProblem);
    expect(lockout.reserve).not.toHaveBeenCalled();
    expect(failures.record).toHaveBeenCalledWith({
      event: 'mfa_failed',
      log: { reason: 'token_invalid', ip_address: CLIENT.ipAddress },
      row: undefined,
    });
  });

  it('refuses a token issued before every session of the account was ended', async () => {
    users.findById.mockResolvedValue(account({ tokenVersion: 4 }));
    expect(await refusal()).toBeInstanceOf(UnauthorizedProblem);
    expect(challenges.complete).not.toHaveBeenCalled();
    expect(failures.record.mock.calls[0][0].log).toMatchObject({ reason: 'sessions_ended' });
  });

  it('gives the attempt back when the token died while the code was judged (reused by a parallel request)', async () => {
    challenges.complete.mockResolvedValue({ outcome: 'token_dead', method: 'totp' });
    expect(await refusal()).toBeInstanceOf(UnauthorizedProblem);
    expect(lockout.release).toHaveBeenCalledWith('jane@example.com', 'code');
    expect(lockout.settleFailure).not.toHaveBeenCalled();
    expect(failures.record.mock.calls[0][0]).toMatchObject({ log: { reason: 'token_dead' }, row: undefined });
  });

  it('refuses a right code for an account deactivated meanwhile, without counting it', async () => {
    users.findById.mockResolvedValue(account({ isActive: false }));
    challenges.complete.mockResolvedValue({ outcome: 'completed', method: 'totp' });
    expect(await refusal()).toBeInstanceOf(UnauthorizedProblem);
    expect(lockout.release).toHaveBeenCalled();
    expect(lockout.settleSuccess).not.toHaveBeenCalled();
    expect(failures.record.mock.calls[0][0].log).toMatchObject({ reason: 'inactive' });
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('judges no code while the address is locked', async () => {
    const locked = tooManyRequests('Too many failed logins', 60);
    lockout.reserve.mockRejectedValue(locked);
    expect(await refusal()).toBe(locked);
    expect(challenges.complete).not.toHaveBeenCalled();
  });
});
