import { Injectable } from '@nestjs/common';
import { MfaLoginToken } from '../../mfa/entities/mfa-login-token.entity';
import { MfaChallenges, MfaMethod } from '../../mfa/mfa-challenges';
import { LockoutAttempt } from '../../security/lockout/lockout-attempt';
import { LockoutService } from '../../security/lockout/lockout.service';
import { SecurityDetails, SecurityLogger } from '../../security/security-logger';
import { ClientInfo } from '../../sessions/sessions.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility } from './sign-in-eligibility';
import { FailureRow, LOGIN_FAILED, SignInFailures } from './sign-in-failures';

/**
 * The second step of a password sign-in (POST /user/auth/mfa). Wrong codes count toward the account
 * lockout like wrong passwords, on the address's code counter (a password reset does not clear it):
 * the attempt is reserved before the code is judged, so parallel guesses cannot outrun the
 * threshold, and only a completed sign-in resets the counts.
 */
@Injectable()
export class MfaSignIn {
  constructor(
    private readonly challenges: MfaChallenges,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly eligibility: SignInEligibility,
    private readonly failures: SignInFailures,
    private readonly issuer: SessionIssuer,
    private readonly security: SecurityLogger,
  ) {}

  async complete(mfaToken: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const token = await this.challenges.find(mfaToken);
    const user = token ? await this.users.findById(token.userId) : null;
    if (!token || !user) return this.refuse(client, { reason: 'token_invalid' });
    if (!this.challenges.belongsToCurrentSessions(token, user)) {
      return this.refuse(client, { user_id: user.id, email: user.email, reason: 'sessions_ended' });
    }
    const method = await this.lockout.attempt(user.email, 'code', (attempt) =>
      this.judge(attempt, token, user, code, client),
    );
    return this.issuer.start(user, client, { action: 'mfa.succeeded', details: { method } });
  }

  /** A refusal other than a wrong code judged no code: its attempt goes back when the judging ends. */
  private async judge(
    attempt: LockoutAttempt,
    token: MfaLoginToken,
    user: User,
    code: string,
    client: ClientInfo,
  ): Promise<MfaMethod> {
    const { outcome, method } = await this.challenges.complete(token, code);
    const who = { user_id: user.id, email: user.email, method };
    if (outcome === 'wrong_code') {
      const row = { action: 'mfa.failed', actorId: null, targetUserId: user.id, details: { method } } as const;
      return this.refuse(
        client,
        { ...who, reason: outcome },
        { ...row, locked: await attempt.failed(client.ipAddress) },
      );
    }
    const refusal = outcome === 'completed' ? this.eligibility.refusal(user, client.ipAddress) : outcome;
    if (refusal) return this.refuse(client, { ...who, reason: refusal });
    await attempt.succeeded();
    this.security.event('mfa_succeeded', { user_id: user.id, ip_address: client.ipAddress, method });
    return method;
  }

  private async refuse(client: ClientInfo, details: SecurityDetails, row?: FailureRow): Promise<never> {
    await this.failures.record({ event: 'mfa_failed', log: { ...details, ip_address: client.ipAddress }, row });
    throw new UnauthorizedProblem(LOGIN_FAILED);
  }
}
