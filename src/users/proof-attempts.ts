import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import { PasswordHasher } from '../passwords/password-hasher';
import { LockoutCounter } from '../security/lockout/lockout-policy';
import { LockoutService } from '../security/lockout/lockout.service';
import { SecurityLogger } from '../security/security-logger';
import { User } from './entities/user.entity';

/** The guessable secrets an account route takes as proof (a passkey is no guess: no lockout). */
export type GuessableProof = 'password' | 'totp' | 'recovery_code';

/** Who offers the proof, and where: `route` is named in the failure row (`POST /user/me/password`). */
export interface ProofContext {
  user: User;
  route: string;
  ipAddress?: string;
}

const COUNTER: Record<GuessableProof, LockoutCounter> = { password: 'password', totp: 'code', recovery_code: 'code' };

/**
 * A password or code offered on an account route (password change, account deletion, TOTP disable,
 * recovery codes, reauthentication), judged under the account lockout exactly like a sign-in: the
 * attempt is reserved before the verdict (429 while the address is locked), a wrong one is counted
 * (passwords and codes on their own counters) and recorded as `reauth.failed`, so that a stolen
 * access token is no unlimited password oracle. A right one gives its attempt back without clearing
 * the count: only a completed sign-in does that.
 */
@Injectable()
export class ProofAttempts {
  constructor(
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly security: SecurityLogger,
  ) {}

  passwordMatches(context: ProofContext, password: string): Promise<boolean> {
    return this.judge(context, 'password', () => this.hasher.verify(password, context.user.passwordHash));
  }

  /**
   * `verdict` answers whether the proof is right (and may act on it: spending a recovery code in the
   * transaction of the change it allows). Run outside any transaction: the lockout has its own statements.
   */
  judge(context: ProofContext, method: GuessableProof, verdict: () => Promise<boolean>): Promise<boolean> {
    return this.lockout.attempt(context.user.email, COUNTER[method], async (attempt) => {
      if (await verdict()) {
        await attempt.released();
        return true;
      }
      await this.recordFailure(context, method, await attempt.failed(context.ipAddress));
      return false;
    });
  }

  /** A wrong proof changes nothing, so its row commits on its own; with the lock it started, two rows. */
  private async recordFailure(context: ProofContext, method: GuessableProof, locked: boolean): Promise<void> {
    const userId = context.user.id;
    this.security.warn('reauth_failed', {
      user_id: userId,
      ip_address: context.ipAddress,
      route: context.route,
      method,
    });
    await this.audit.recordFailure(
      { action: 'reauth.failed', actorId: userId, targetUserId: userId, details: { route: context.route, method } },
      locked ? { email: context.user.email } : undefined,
    );
  }
}
