import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LockoutModule } from './lockout/lockout.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { SecurityLogger } from './security-logger.service';

/** The security log, rate limits (a global guard), account lockout and the shared Redis connection. */
@Global()
@Module({
  imports: [RedisModule, RateLimitModule, LockoutModule],
  providers: [
    SecurityLogger,
    // Nest runs global guards in the order their modules were registered: declared here, in a module
    // the root imports before AuthModule, the limiter runs before authentication, so floods of bad
    // tokens are limited too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [SecurityLogger, RedisModule, RateLimitModule, LockoutModule],
})
export class SecurityModule {}
