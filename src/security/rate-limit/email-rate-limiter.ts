import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { emailDigest } from '../email-digest';
import { SecurityLogger } from '../security-logger';
import { tooManyRequests } from '../too-many-requests';
import { EMAIL_LIMIT } from './rate-limit.options';

/**
 * The per-address limit of the routes that send mail (verification, password reset): counted per
 * normalised email whether or not an account has it, in the same shared storage as the IP limits.
 */
@Injectable()
export class EmailRateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: RateLimitConfig,
    private readonly securityLog: SecurityLogger,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts one mail to this address; throws a 429 problem once the address has used its budget. */
  async consume(email: string, ip?: string): Promise<void> {
    if (!this.config.enabled) return;
    const windowMs = this.config.emailWindow * 1000;
    const record = await this.storage.increment(
      `${EMAIL_LIMIT}:${emailDigest(email)}`,
      windowMs,
      this.config.emailRequests,
      windowMs,
      EMAIL_LIMIT,
    );
    if (!record.isBlocked) return;
    this.metrics.rateLimited(EMAIL_LIMIT);
    this.securityLog.warn('rate_limited', { ip_address: ip, limit: EMAIL_LIMIT });
    throw tooManyRequests(
      `Too many emails requested for this address; try again in ${record.timeToBlockExpire} seconds`,
      record.timeToBlockExpire,
    );
  }
}
