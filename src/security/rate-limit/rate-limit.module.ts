import { Module } from '@nestjs/common';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { RedisModule } from '../redis/redis.module';
import { EmailRateLimiter } from './email-rate-limiter.service';
import { rateLimitOptions } from './rate-limit.options';
import { ResilientThrottlerStorage } from './resilient-throttler-storage';

const THROTTLER_PROVIDERS = [
  { provide: getStorageToken(), useExisting: ResilientThrottlerStorage },
  { provide: getOptionsToken(), inject: [RateLimitConfig], useFactory: rateLimitOptions },
];

/** The throttler's options and storage for RateLimitGuard, and the per-email limiter for mail routes. */
@Module({
  imports: [RedisModule],
  providers: [ResilientThrottlerStorage, ...THROTTLER_PROVIDERS, EmailRateLimiter],
  exports: [...THROTTLER_PROVIDERS, EmailRateLimiter],
})
export class RateLimitModule {}
