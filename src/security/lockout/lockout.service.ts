import { Inject, Injectable } from '@nestjs/common';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { normaliseEmail } from '../../common/email-address';
import { emailDigest } from '../email-digest';
import { SecurityLogger } from '../security-logger';
import { tooManyRequests } from '../too-many-requests';
import { LOCKOUT_STORE, LockoutPolicy, LockoutStore } from './lockout-store';

/**
 * Account lockout per normalised email, whether or not an account has it, whatever the IP: the
 * same answer for every address, so a 429 reveals nothing. Not switched by RATE_LIMIT_ENABLED.
 * The login flow reserves an attempt before verifying the password and settles it after (failure,
 * success, or release when there is no verdict), so concurrent guesses cannot outrun the threshold.
 */
@Injectable()
export class LockoutService {
  private readonly policy: LockoutPolicy;

  constructor(
    config: RateLimitConfig,
    @Inject(LOCKOUT_STORE) private readonly store: LockoutStore,
    private readonly securityLog: SecurityLogger,
    private readonly metrics: MetricsService,
  ) {
    this.policy = {
      threshold: config.lockoutThreshold,
      windowSeconds: config.lockoutWindow,
      durationSeconds: config.lockoutDuration,
    };
  }

  /** Counts one attempt, or throws a 429 problem with Retry-After while locked or the budget is taken. */
  async reserve(email: string): Promise<void> {
    const reservation = await this.store.reserve(emailDigest(email), this.policy);
    if (reservation.granted) return;
    const seconds = reservation.retryAfterSeconds;
    this.metrics.rateLimited('lockout');
    throw tooManyRequests(`Too many failed logins for this email address; try again in ${seconds} seconds`, seconds);
  }

  /** Counts a failure; true when it started a lock (the caller records `account.locked`). */
  async settleFailure(email: string, ip?: string): Promise<boolean> {
    const outcome = await this.store.settleFailure(emailDigest(email), this.policy);
    if (outcome.lockStarted) {
      this.securityLog.warn('account_locked', {
        email: normaliseEmail(email),
        ip_address: ip,
        failures: this.policy.threshold,
        locked_for_seconds: outcome.lockedForSeconds,
      });
    }
    return outcome.lockStarted;
  }

  async settleSuccess(email: string): Promise<void> {
    await this.store.settleSuccess(emailDigest(email));
  }

  /** The attempt got no verdict: its reservation goes back to the budget. */
  async release(email: string): Promise<void> {
    await this.store.release(emailDigest(email));
  }

  /** The owner proved control of the mailbox (a completed password reset): count and lock are gone. */
  async clear(email: string): Promise<void> {
    await this.store.clear(emailDigest(email));
  }
}
