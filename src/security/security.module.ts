import { Module } from '@nestjs/common';
import { LockoutModule } from './lockout/lockout.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { SecurityLogModule } from './security-log.module';

/** The security log, rate limits (a global guard), account lockout and the shared Redis connection. */
@Module({
  imports: [SecurityLogModule, RedisModule, RateLimitModule, LockoutModule],
  providers: [RateLimitGuard],
  // RateLimitGuard is exported for app.module.ts, which declares the global stack in order.
  exports: [SecurityLogModule, RateLimitGuard, RedisModule, RateLimitModule, LockoutModule],
})
export class SecurityModule {}
