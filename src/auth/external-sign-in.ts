import { Injectable } from '@nestjs/common';
import { MfaChallenges } from '../mfa/mfa-challenges';
import { MetricsService } from '../metrics/metrics.service';
import { SecurityLogger } from '../security/security-logger';
import { ClientInfo } from '../sessions/sessions.service';
import { User } from '../users/entities/user.entity';
import { AuthService, SignedIn } from './auth.service';

/** A provider proved who the user is: a session, or the second factor still to pass. */
export type ExternalSignInResult = { kind: 'signed-in'; signedIn: SignedIn } | { kind: 'mfa'; mfaToken: string };

/**
 * The sign-in step of an external provider's callback, in one place so that auth's sign-in protocol
 * owns it: a failure is recorded like any failed sign-in (metric, security log); a success with TOTP
 * on the account hands out the second step's token; otherwise a session starts exactly as for the
 * other methods (cookies, audit row `login.succeeded` with `method: "oidc"`, new-device mail, metric).
 * Not subject to the lockout: no guessable secret is checked here.
 */
@Injectable()
export class ExternalSignIn {
  constructor(
    private readonly auth: AuthService,
    private readonly mfaChallenges: MfaChallenges,
    private readonly metrics: MetricsService,
    private readonly security: SecurityLogger,
  ) {}

  async complete(user: User, provider: string, client: ClientInfo): Promise<ExternalSignInResult> {
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
    const signedIn = await this.auth.startSession(user, client, {
      action: 'login.succeeded',
      details: { method: 'oidc', provider },
    });
    return { kind: 'signed-in', signedIn };
  }

  /** A callback that signed nobody in; `reason` never holds a token or a code. */
  failed(provider: string, code: string, reason: string, client: ClientInfo): void {
    this.metrics.loginAttempt('failure');
    this.security.warn('auth_attempt', {
      success: false,
      method: 'oidc',
      provider,
      error: code,
      reason,
      ip_address: client.ipAddress,
    });
  }
}
