import { ProblemException } from '../../common/problem-details/problem.exception';
import { Mocked, newTestService, runsAsWritten } from '../../common/testing/automock';
import { AuthConfig } from '../../config/auth.config';
import { MfaChallenges } from '../../mfa/mfa-challenges';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LockoutService } from '../../security/lockout/lockout.service';
import { tooManyRequests } from '../../security/too-many-requests';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { PasswordSignIn } from './password-sign-in';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility } from './sign-in-eligibility';
import { LOGIN_FAILED, SignInFailures } from './sign-in-failures';

const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'jest' };
const EMAIL = 'jane@example.com';
const SIGNED_IN = { accessToken: 'access' } as SignedIn;

const account = (changes: Partial<User> = {}): User =>
  ({
    id: 'u-1',
    email: EMAIL,
    passwordHash: 'stored-hash',
    isActive: true,
    mfaEnabled: false,
    emailVerifiedAt: new Date('2026-01-01'),
    tokenVersion: 3,
    ...changes,
  }) as User;

describe('PasswordSignIn', () => {
  let signIn: PasswordSignIn;
  let users: Mocked<UsersService>;
  let hasher: Mocked<PasswordHasher>;
  let lockout: Mocked<LockoutService>;
  let failures: Mocked<SignInFailures>;
  let issuer: Mocked<SessionIssuer>;
  let challenges: Mocked<MfaChallenges>;
  let config: Mocked<AuthConfig>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(PasswordSignIn, [SignInEligibility]);
    signIn = sut;
    users = mock(UsersService);
    hasher = mock(PasswordHasher);
    lockout = mock(LockoutService);
    failures = mock(SignInFailures);
    issuer = mock(SessionIssuer);
    challenges = mock(MfaChallenges);
    config = mock(AuthConfig);
    runsAsWritten(lockout, LockoutService, 'attempt');
    lockout.settleFailure.mockResolvedValue(false);
    hasher.hash.mockResolvedValue('dummy-hash');
    users.upgradedHash.mockResolvedValue(undefined);
    issuer.start.mockResolvedValue(SIGNED_IN);
    config.requireEmailVerification = false;
  });

  const refusal = (password = 'pw', email = EMAIL) =>
    signIn.login(email, password, CLIENT).catch((error: unknown) => error);

  it('signs in with the right password: the lockout forgets the failures and a session starts', async () => {
    users.findByEmail.mockResolvedValue(account());
    hasher.verify.mockResolvedValue(true);
    users.upgradedHash.mockResolvedValue('rehashed');
    await expect(signIn.login(' Jane@Example.com', 'pw', CLIENT)).resolves.toBe(SIGNED_IN);
    expect(users.findByEmail).toHaveBeenCalledWith(EMAIL);
    expect(lockout.reserve).toHaveBeenCalledWith(EMAIL, 'password');
    expect(lockout.settleSuccess).toHaveBeenCalledWith(EMAIL, 'password');
    expect(issuer.start).toHaveBeenCalledWith(account(), CLIENT, {
      action: 'login.succeeded',
      upgradedHash: 'rehashed',
    });
    expect(failures.record).not.toHaveBeenCalled();
  });

  it('counts a wrong password and records login.failed as bad_credentials, answering the one 401', async () => {
    users.findByEmail.mockResolvedValue(account());
    hasher.verify.mockResolvedValue(false);
    const refused = await refusal();
    expect(refused).toBeInstanceOf(UnauthorizedProblem);
    expect((refused as ProblemException).detail).toBe(LOGIN_FAILED);
    expect(lockout.settleFailure).toHaveBeenCalledWith(EMAIL, CLIENT.ipAddress, 'password');
    expect(failures.record).toHaveBeenCalledWith({
      event: 'auth_attempt',
      log: { success: false, email: EMAIL, ip_address: CLIENT.ipAddress },
      row: {
        action: 'login.failed',
        actorId: null,
        targetUserId: 'u-1',
        details: { email: EMAIL, reason: 'bad_credentials' },
        locked: false,
      },
    });
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('checks an unknown email against the dummy hash, so it costs a hash check like a wrong password', async () => {
    users.findByEmail.mockResolvedValue(null);
    hasher.verify.mockResolvedValue(false);
    expect(await refusal('guess')).toBeInstanceOf(UnauthorizedProblem);
    expect(hasher.verify).toHaveBeenCalledWith('guess', 'dummy-hash');
    expect(lockout.settleFailure).toHaveBeenCalled();
    expect(failures.record.mock.calls[0][0].row).toMatchObject({
      targetUserId: null,
      details: { reason: 'bad_credentials' },
    });
  });

  it('computes the dummy hash when the module starts, and only then', async () => {
    signIn.onModuleInit();
    expect(hasher.hash).toHaveBeenCalledTimes(1);
    users.findByEmail.mockResolvedValue(null);
    await refusal();
    await refusal();
    expect(hasher.hash).toHaveBeenCalledTimes(1);
  });

  it('never looks up an address with invisible characters, yet checks a hash all the same', async () => {
    hasher.verify.mockResolvedValue(false);
    expect(await refusal('pw', 'jane\u200b@example.com')).toBeInstanceOf(UnauthorizedProblem);
    expect(users.findByEmail).not.toHaveBeenCalled();
    expect(hasher.verify).toHaveBeenCalledWith('pw', 'dummy-hash');
  });

  it('refuses a deactivated account with the right password exactly like a wrong one, recorded as inactive', async () => {
    users.findByEmail.mockResolvedValue(account({ isActive: false }));
    hasher.verify.mockResolvedValue(true);
    const refused = await refusal();
    expect((refused as ProblemException).detail).toBe(LOGIN_FAILED);
    expect(lockout.settleFailure).toHaveBeenCalled();
    expect(failures.record.mock.calls[0][0].row).toMatchObject({ details: { reason: 'inactive' } });
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('records the lock that a wrong password started beside its failure', async () => {
    users.findByEmail.mockResolvedValue(account());
    hasher.verify.mockResolvedValue(false);
    lockout.settleFailure.mockResolvedValue(true);
    await refusal();
    expect(failures.record.mock.calls[0][0].row).toMatchObject({ locked: true });
  });

  it('checks no password while the address is locked: the 429 goes out as it is', async () => {
    const locked = tooManyRequests('Too many failed logins', 60);
    lockout.reserve.mockRejectedValue(locked);
    expect(await refusal()).toBe(locked);
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(failures.record).not.toHaveBeenCalled();
  });

  it('lets a lockout that cannot reserve (database gone) fail the login before any password is checked', async () => {
    const outage = new Error('Connection terminated');
    lockout.reserve.mockRejectedValue(outage);
    expect(await refusal()).toBe(outage);
    expect(users.findByEmail).not.toHaveBeenCalled();
    expect(lockout.release).not.toHaveBeenCalled();
  });

  it('gives the attempt back when the account cannot be read', async () => {
    const outage = new Error('Connection terminated');
    users.findByEmail.mockRejectedValue(outage);
    expect(await refusal()).toBe(outage);
    expect(lockout.release).toHaveBeenCalledWith(EMAIL, 'password');
    expect(lockout.settleFailure).not.toHaveBeenCalled();
  });

  it('answers 403 for an unverified address when verification is required, and gives its attempt back', async () => {
    config.requireEmailVerification = true;
    users.findByEmail.mockResolvedValue(account({ emailVerifiedAt: null }));
    hasher.verify.mockResolvedValue(true);
    const refused = await refusal();
    expect((refused as ProblemException).getStatus()).toBe(403);
    expect(lockout.settleFailure).not.toHaveBeenCalled();
    expect(lockout.release).toHaveBeenCalledWith(EMAIL, 'password');
    expect(failures.record.mock.calls[0][0]).toMatchObject({
      log: { reason: 'unverified' },
      row: { details: { reason: 'email_unverified' }, locked: false },
    });
  });

  it('asks for the second factor of an account with TOTP: no session, and the attempt goes back uncleared', async () => {
    users.findByEmail.mockResolvedValue(account({ mfaEnabled: true }));
    hasher.verify.mockResolvedValue(true);
    challenges.begin.mockResolvedValue('mfa-token');
    await expect(signIn.login(EMAIL, 'pw', CLIENT)).resolves.toEqual({
      mfaRequired: true,
      mfaToken: 'mfa-token',
      methods: ['totp', 'recovery_code'],
    });
    expect(lockout.release).toHaveBeenCalledWith(EMAIL, 'password');
    expect(lockout.settleSuccess).not.toHaveBeenCalled();
    expect(issuer.start).not.toHaveBeenCalled();
  });
});
