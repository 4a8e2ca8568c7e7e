import { Injectable } from '@nestjs/common';
import { RedisConnection } from '../../security/redis/redis-connection';
import { CheckResult, elapsedMs, healthy } from './check-result';

/**
 * Pings through the instance's one Redis connection, the one rate limiting and lockout use: the check
 * reports exactly the Redis those counters see, and opens no connection of its own.
 */
@Injectable()
export class RedisCheck {
  constructor(private readonly connection: RedisConnection) {}

  get configured(): boolean {
    return this.connection.configured;
  }

  async ping(): Promise<CheckResult> {
    if (!this.configured) return healthy('Not configured (REDIS_URL unset): counters are kept per instance');
    const startedAt = performance.now();
    if (!(await this.connection.ping())) throw new Error('Redis did not answer PING');
    return healthy('Redis connection successful', elapsedMs(startedAt));
  }
}
