import { Inject, Injectable } from '@nestjs/common';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { normaliseEmail } from '../../users/email-address';
import { emailDigest } from '../email-digest';
import { SecurityLogger } from '../security-logger.service';
import { tooManyRequests } from '../too-many-requests';
import { LOCKOUT_STORE, LockoutPolicy, LockoutStore } from './lockout-store';

/**
 * Account lockout per normalised email, whether or not an account has it, whatever the IP: the
 * same answer for every address, so a 429 reveals nothing. Not switched by RATE_LIMIT_ENABLED.
 * The login flow checks assertNotLocked before verifying the password, then records the outcome.
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

  /** Throws a 429 problem with Retry-After while logins for this address are locked. */
  async assertNotLocked(email: string): Promise<void> {
    const seconds = await this.store.lockedFor(emailDigest(email));
    if (seconds > 0) {
      this.metrics.rateLimited('lockout');
      throw tooManyRequests(`Too many failed logins for this email address; try again in ${seconds} seconds`, seconds);
    }
  }

  async recordFailure(email: string, ip?: string): Promise<void> {
    const outcome = await this.store.recordFailure(emailDigest(email), this.policy);
    if (outcome.lockStarted) {
      this.securityLog.warn('account_locked', {
        email: normaliseEmail(email),
        ip_address: ip,
        failures: this.policy.threshold,
        locked_for_seconds: outcome.lockedForSeconds,
      });
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.store.reset(emailDigest(email));
  }
}
