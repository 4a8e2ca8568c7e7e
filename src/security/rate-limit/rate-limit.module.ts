import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { SecurityLogModule } from '../security-log.module';
import { RedisModule } from '../redis/redis.module';
import { EmailRateLimiter } from './email-rate-limiter';
import { rateLimitOptions } from './rate-limit.options';
import { ResilientThrottlerStorage } from './resilient-throttler-storage';

/** The counters' storage in a module of its own, for ThrottlerModule's factory to inject. */
@Module({
  imports: [RedisModule],
  providers: [ResilientThrottlerStorage],
  exports: [ResilientThrottlerStorage],
})
class RateLimitStorageModule {}

/** The throttler's options and storage for RateLimitGuard, and the per-email limiter for mail routes. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [RateLimitConfig, ResilientThrottlerStorage],
      useFactory: rateLimitOptions,
    }),
    SecurityLogModule,
  ],
  providers: [EmailRateLimiter],
  exports: [ThrottlerModule, EmailRateLimiter],
})
export class RateLimitModule {}
