import { Mocked, newTestService } from '../../common/testing/automock';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-credential.dto';
import { PasskeyAuthentication } from '../../passkeys/passkey-authentication';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { PASSKEY_SIGN_IN_FAILED, PasskeySignIn } from './passkey-sign-in';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility } from './sign-in-eligibility';
import { SignInFailures } from './sign-in-failures';

const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'jest' };
const CREDENTIAL = { id: 'cred' } as AuthenticationResponseDto;
const SIGNED_IN = { accessToken: 'access' } as SignedIn;
const account = (isActive = true) => ({ id: 'u-1', email: 'jane@example.com', isActive }) as User;

describe('PasskeySignIn', () => {
  let signIn: PasskeySignIn;
  let passkeys: Mocked<PasskeyAuthentication>;
  let failures: Mocked<SignInFailures>;
  let issuer: Mocked<SessionIssuer>;
  let security: Mocked<SecurityLogger>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(PasskeySignIn, [SignInEligibility]);
    signIn = sut;
    passkeys = mock(PasskeyAuthentication);
    failures = mock(SignInFailures);
    issuer = mock(SessionIssuer);
    security = mock(SecurityLogger);
    issuer.start.mockResolvedValue(SIGNED_IN);
  });

  it('starts a session named after the passkey that verified', async () => {
    passkeys.verify.mockResolvedValue({ outcome: 'verified', user: account(), passkeyId: 'pk-1' });
    await expect(signIn.signIn(CREDENTIAL, CLIENT)).resolves.toBe(SIGNED_IN);
    expect(issuer.start).toHaveBeenCalledWith(account(), CLIENT, {
      action: 'passkey.signed_in',
      details: { passkeyId: 'pk-1' },
    });
    expect(security.event).toHaveBeenCalledWith('passkey_signed_in', {
      success: true,
      user_id: 'u-1',
      passkey_id: 'pk-1',
      ip_address: CLIENT.ipAddress,
    });
    expect(failures.record).not.toHaveBeenCalled();
  });

  it('refuses an assertion that did not verify with one answer, counted as a failed login with its reason', async () => {
    passkeys.verify.mockResolvedValue({ outcome: 'refused', reason: 'counter_regressed', userId: 'u-1' });
    const refused = await signIn.signIn(CREDENTIAL, CLIENT).catch((error: unknown) => error);
    expect(refused).toEqual(new UnauthorizedProblem(PASSKEY_SIGN_IN_FAILED));
    expect(failures.record).toHaveBeenCalledWith({
      event: 'passkey_sign_in_failed',
      log: { success: false, reason: 'counter_regressed', user_id: 'u-1', ip_address: CLIENT.ipAddress },
    });
    expect(issuer.start).not.toHaveBeenCalled();
  });

  it('refuses a deactivated account whose passkey verified, like any refused passkey', async () => {
    passkeys.verify.mockResolvedValue({ outcome: 'verified', user: account(false), passkeyId: 'pk-1' });
    await expect(signIn.signIn(CREDENTIAL, CLIENT)).rejects.toBeInstanceOf(UnauthorizedProblem);
    expect(failures.record.mock.calls[0][0].log).toMatchObject({ reason: 'inactive_user', user_id: 'u-1' });
    expect(security.event).not.toHaveBeenCalled();
    expect(issuer.start).not.toHaveBeenCalled();
  });
});
