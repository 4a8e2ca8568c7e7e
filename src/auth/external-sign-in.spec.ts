import { Mocked, newTestService } from '../common/testing/automock';
import { OidcFailure } from '../identities/oidc-failure';
import { MfaChallenges } from '../mfa/mfa-challenges';
import { SecurityLogger } from '../security/security-logger';
import { User } from '../users/entities/user.entity';
import { AccountBannedException, AccountStanding } from '../users/standing/account-standing';
import { ExternalSignIn } from './external-sign-in';
import { SessionIssuer, SignedIn } from './sign-in/session-issuer';
import { SignInEligibility } from './sign-in/sign-in-eligibility';
import { SignInFailures } from './sign-in/sign-in-failures';

const CLIENT = { ipAddress: '192.0.2.1', userAgent: 'test' };
const SIGNED_IN = { accessToken: 'a' } as SignedIn;
const account = (changes: Partial<User> = {}) => ({ id: 'u', mfaEnabled: false, isActive: true, ...changes }) as User;

describe('ExternalSignIn', () => {
  let signIn: ExternalSignIn;
  let issuer: Mocked<SessionIssuer>;
  let failures: Mocked<SignInFailures>;
  let standing: Mocked<AccountStanding>;
  let mfa: Mocked<MfaChallenges>;
  let security: Mocked<SecurityLogger>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(ExternalSignIn, [SignInEligibility]);
    signIn = sut;
    issuer = mock(SessionIssuer);
    failures = mock(SignInFailures);
    standing = mock(AccountStanding);
    mfa = mock(MfaChallenges);
    security = mock(SecurityLogger);
    issuer.start.mockResolvedValue(SIGNED_IN);
    mfa.begin.mockResolvedValue('mfa-token');
  });

  it('starts a session like every sign-in, its audit row naming the method and the provider', async () => {
    const user = account();
    await expect(signIn.complete(user, 'google', CLIENT)).resolves.toEqual({ kind: 'signed-in', signedIn: SIGNED_IN });
    expect(issuer.start).toHaveBeenCalledWith(user, CLIENT, {
      action: 'login.succeeded',
      details: { method: 'oidc', provider: 'google' },
    });
  });

  it('hands out the second step instead of a session when the account has TOTP', async () => {
    await expect(signIn.complete(account({ mfaEnabled: true }), 'google', CLIENT)).resolves.toEqual({
      kind: 'mfa',
      mfaToken: 'mfa-token',
    });
    expect(security.event).toHaveBeenCalledWith('mfa_challenge_issued', expect.objectContaining({ method: 'oidc' }));
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('passes the protocol check point: a deactivated account is account_disabled, a ban account_banned', async () => {
    await expect(signIn.complete(account({ isActive: false }), 'google', CLIENT)).rejects.toMatchObject({
      code: 'account_disabled',
    });
    standing.assertMaySignIn.mockImplementation(() => {
      throw new AccountBannedException(null);
    });
    const banned = await signIn.complete(account(), 'google', CLIENT).catch((error: unknown) => error);
    expect(banned).toBeInstanceOf(OidcFailure);
    expect(banned).toMatchObject({ code: 'account_banned' });
    expect(issuer.start).not.toHaveBeenCalled();
    expect(mfa.begin).not.toHaveBeenCalled();
  });

  it('records a failed callback as every refused sign-in is recorded, with its code and never a token', async () => {
    await signIn.failed('google', 'account_exists', 'email of an existing account', CLIENT);
    expect(failures.record).toHaveBeenCalledWith({
      event: 'auth_attempt',
      log: expect.objectContaining({ success: false, provider: 'google', error: 'account_exists' }),
    });
  });
});
