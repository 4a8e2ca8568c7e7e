import { Injectable } from '@nestjs/common';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-credential.dto';
import { PasskeyAuthentication, PasskeySignInFailure } from '../../passkeys/passkey-authentication';
import { SecurityLogger } from '../../security/security-logger';
import { ClientInfo } from '../../sessions/sessions.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility } from './sign-in-eligibility';
import { SignInFailures } from './sign-in-failures';

/** The one answer to every refused passkey, whatever the reason (the security log keeps it). */
export const PASSKEY_SIGN_IN_FAILED = 'The passkey sign-in failed';

/**
 * Sign-in with a passkey (POST /user/auth/passkey): it stands in for password and second factor. No
 * lockout: an assertion is no guessable secret, and its challenge is spent by the first try.
 */
@Injectable()
export class PasskeySignIn {
  constructor(
    private readonly passkeys: PasskeyAuthentication,
    private readonly eligibility: SignInEligibility,
    private readonly failures: SignInFailures,
    private readonly issuer: SessionIssuer,
    private readonly security: SecurityLogger,
  ) {}

  async signIn(credential: AuthenticationResponseDto, client: ClientInfo): Promise<SignedIn> {
    const result = await this.passkeys.verify(credential, client.ipAddress);
    if (result.outcome !== 'verified') return this.refuse(client, result.reason, result.userId);
    const { user, passkeyId } = result;
    if (this.eligibility.refusal(user, client.ipAddress)) return this.refuse(client, 'inactive_user', user.id);
    this.security.event('passkey_signed_in', {
      success: true,
      user_id: user.id,
      passkey_id: passkeyId,
      ip_address: client.ipAddress,
    });
    return this.issuer.start(user, client, { action: 'passkey.signed_in', details: { passkeyId } });
  }

  private async refuse(client: ClientInfo, reason: PasskeySignInFailure, userId?: string): Promise<never> {
    await this.failures.record({
      event: 'passkey_sign_in_failed',
      log: { success: false, reason, user_id: userId, ip_address: client.ipAddress },
    });
    throw new UnauthorizedProblem(PASSKEY_SIGN_IN_FAILED);
  }
}
