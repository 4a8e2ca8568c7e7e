import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { RedisModule } from '../redis/redis.module';
import { EmailRateLimiter } from './email-rate-limiter.service';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.options';
import { ResilientThrottlerStorage } from './resilient-throttler-storage';

/** The throttler as a global guard over every Nest route, plus the per-email limiter for mail routes. */
@Module({
  imports: [RedisModule],
  providers: [
    ResilientThrottlerStorage,
    { provide: getStorageToken(), useExisting: ResilientThrottlerStorage },
    { provide: getOptionsToken(), inject: [RateLimitConfig], useFactory: rateLimitOptions },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    EmailRateLimiter,
  ],
  exports: [EmailRateLimiter],
})
export class RateLimitModule {}
