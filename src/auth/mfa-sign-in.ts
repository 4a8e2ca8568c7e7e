import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { MetricsService } from '../metrics/metrics.service';
import { MfaChallenges, MfaMethod } from '../mfa/mfa-challenges';
import { LockoutService } from '../security/lockout/lockout.service';
import { SecurityLogger } from '../security/security-logger';
import { ClientInfo } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { AuthService, LOGIN_FAILED, SignedIn } from './auth.service';
import { UnauthorizedProblem } from './guards/unauthorized.exception';

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
  ) {}

  async complete(mfaToken: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const token = await this.challenges.find(mfaToken);
    const user = token ? await this.users.findById(token.userId) : null;
    if (!token || !user) return this.refuse(client, { reason: 'token_invalid' });
    if (!this.challenges.belongsToCurrentSessions(token, user)) {
      return this.refuse(client, { user_id: user.id, email: user.email, reason: 'sessions_ended' });
    }
    const method = await this.lockout.attempt(user.email, 'code', async (attempt) => {
      const { outcome, method } = await this.challenges.complete(token, code);
      if (outcome === 'wrong_code') await this.recordWrongCode(user.id, method, await attempt.failed(client.ipAddress));
      if (outcome !== 'completed' || !user.isActive) {
        return this.refuse(client, { user_id: user.id, email: user.email, method, reason: outcome });
      }
      await attempt.succeeded();
      this.security.event('mfa_succeeded', { user_id: user.id, ip_address: client.ipAddress, method });
      return method;
    });
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
