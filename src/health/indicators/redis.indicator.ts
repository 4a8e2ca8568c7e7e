import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { RedisConnection } from '../../security/redis/redis-connection';
import { CheckResult, elapsedMs, healthy } from './check-result';
import { CheckRunner } from './check-runner';

/**
 * Pings through the instance's one Redis connection, the one rate limiting and lockout use: the check
 * reports exactly the Redis those counters see, and opens no connection of its own.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly connection: RedisConnection,
    private readonly runner: CheckRunner,
  ) {}

  /** Up or down, the check names the topology (single, sentinel, cluster) and never a host. */
  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const result = await this.runner.run(key, 'Redis unreachable', () => this.ping());
    const mode = this.connection.mode;
    return mode ? { ...result, [key]: { ...result[key], mode } } : result;
  }

  async ping(): Promise<CheckResult> {
    if (!this.connection.configured) return healthy('Not configured (REDIS_URL unset): counters are kept per instance');
    const startedAt = performance.now();
    if (!(await this.connection.ping())) throw new Error('Redis did not answer PING');
    return healthy('Redis connection successful', elapsedMs(startedAt));
  }
}
