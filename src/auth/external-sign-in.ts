import { Injectable } from '@nestjs/common';
import { OidcFailure } from '../identities/oidc-failure';
import { MfaChallenges } from '../mfa/mfa-challenges';
import { SecurityLogger } from '../security/security-logger';
import { ClientInfo } from '../sessions/sessions.service';
import { User } from '../users/entities/user.entity';
import { AccountBannedException } from '../users/standing/account-standing';
import { SessionIssuer, SignedIn } from './sign-in/session-issuer';
import { SignInEligibility } from './sign-in/sign-in-eligibility';
import { SignInFailures } from './sign-in/sign-in-failures';

/** A provider proved who the user is: a session, or the second factor still to pass. */
export type ExternalSignInResult = { kind: 'signed-in'; signedIn: SignedIn } | { kind: 'mfa'; mfaToken: string };

/**
 * An external provider's callback as a method of the one sign-in protocol: the account passes
 * SignInEligibility (a deactivated account is `account_disabled`, a ban in force `account_banned`),
 * a refusal is recorded by SignInFailures like any other, and the session starts through SessionIssuer
 * (cookies, audit row `login.succeeded` with `method: "oidc"`, new-device mail, metric); an account with
 * TOTP gets the second step's token instead. Not subject to the lockout: no guessable secret is checked.
 */
@Injectable()
export class ExternalSignIn {
  constructor(
    private readonly eligibility: SignInEligibility,
    private readonly failures: SignInFailures,
    private readonly issuer: SessionIssuer,
    private readonly mfaChallenges: MfaChallenges,
    private readonly security: SecurityLogger,
  ) {}

  async complete(user: User, provider: string, client: ClientInfo): Promise<ExternalSignInResult> {
    this.assertMaySignIn(user, client);
    if (user.mfaEnabled) {
      const mfaToken = await this.mfaChallenges.begin(user);
      this.security.event('mfa_challenge_issued', {
        user_id: user.id,
        email: user.email,
        ip_address: client.ipAddress,
        method: 'oidc',
        provider,
      });
      return { kind: 'mfa', mfaToken };
    }
    const signedIn = await this.issuer.start(user, client, {
      action: 'login.succeeded',
      details: { method: 'oidc', provider },
    });
    return { kind: 'signed-in', signedIn };
  }

  /** A callback that signed nobody in; `reason` never holds a token or a code. */
  async failed(provider: string, code: string, reason: string, client: ClientInfo): Promise<void> {
    await this.failures.record({
      event: 'auth_attempt',
      log: { success: false, method: 'oidc', provider, error: code, reason, ip_address: client.ipAddress },
    });
  }

  private assertMaySignIn(user: User, client: ClientInfo): void {
    try {
      if (this.eligibility.refusal(user, client.ipAddress)) {
        throw new OidcFailure('account_disabled', 'deactivated account');
      }
    } catch (error) {
      if (error instanceof AccountBannedException) throw new OidcFailure('account_banned', 'banned account');
      throw error;
    }
  }
}
