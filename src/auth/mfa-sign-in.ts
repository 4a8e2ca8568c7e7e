import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { MetricsService } from '../metrics/metrics.service';
import { ChallengeOutcome, MfaChallenges, MfaMethod } from '../mfa/mfa-challenges';
import { LockoutService } from '../security/lockout/lockout.service';
import { SecurityLogger } from '../security/security-logger';
import { ClientInfo } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { AuthService, LOGIN_FAILED, SignedIn } from './auth.service';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { AccountStanding } from '../users/standing/account-standing';

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
    private readonly auth: AuthService,
    private readonly lockout: LockoutService,
    private readonly security: SecurityLogger,
    private readonly metrics: MetricsService,
    private readonly audit: AuditTrail,
    private readonly standing: AccountStanding,
  ) {}

  async complete(mfaToken: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const token = await this.challenges.find(mfaToken);
    const user = token ? await this.users.findById(token.userId) : null;
    if (!token || !user) return this.refuse(client, { reason: 'token_invalid' });
    if (!this.challenges.belongsToCurrentSessions(token, user)) {
      return this.refuse(client, { user_id: user.id, email: user.email, reason: 'sessions_ended' });
    }
    await this.lockout.reserve(user.email, 'code');
    let settled = false;
    let method: MfaMethod;
    try {
      let outcome: ChallengeOutcome;
      ({ outcome, method } = await this.challenges.complete(token, code));
      if (outcome === 'wrong_code') {
        settled = true;
        const locked = await this.lockout.settleFailure(user.email, client.ipAddress, 'code');
        await this.recordWrongCode(user.id, method, locked);
      }
      if (outcome !== 'completed' || !user.isActive) {
        return this.refuse(client, { user_id: user.id, email: user.email, method, reason: outcome });
      }
      this.standing.assertMaySignIn(user, client.ipAddress);
      settled = true;
      await this.lockout.settleSuccess(user.email, 'code');
      this.security.event('mfa_succeeded', { user_id: user.id, ip_address: client.ipAddress, method });
    } finally {
      // No verdict on a code (the token died meanwhile, a database error): the attempt goes back.
      if (!settled) await this.lockout.release(user.email, 'code').catch(() => undefined);
    }
    return this.auth.startSession(user, client, { action: 'mfa.succeeded', details: { method } });
  }

  /** A wrong code changes nothing, so its row commits on its own; with the lock it started, two rows. */
  private async recordWrongCode(userId: string, method: MfaMethod, locked: boolean): Promise<void> {
    const failed = {
      action: 'mfa.failed',
      actorId: null,
      targetUserId: userId,
      details: { method },
    } as const;
    if (!locked) return this.audit.recordFailure(failed);
    await this.audit.recordTogether([
      { ...failed, outcome: 'failure' },
      { action: 'account.locked', actorId: null, targetUserId: userId },
    ]);
  }

  private refuse(client: ClientInfo, details: Record<string, string>): never {
    this.metrics.loginAttempt('failure');
    this.security.warn('mfa_failed', { ...details, ip_address: client.ipAddress });
    throw new UnauthorizedProblem(LOGIN_FAILED);
  }
}
