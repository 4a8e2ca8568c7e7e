import { Global, Module } from '@nestjs/common';
import { LockoutModule } from './lockout/lockout.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { SecurityLogger } from './security-logger.service';

/** The security log, rate limits (a global guard), account lockout and the shared Redis connection. */
@Global()
@Module({
  imports: [RedisModule, RateLimitModule, LockoutModule],
  providers: [SecurityLogger],
  exports: [SecurityLogger, RedisModule, RateLimitModule, LockoutModule],
})
export class SecurityModule {}
