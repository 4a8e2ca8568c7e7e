import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Cluster } from 'ioredis';
import { RedisConnection } from '../redis/redis-connection';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters in Redis when REDIS_URL is set (shared by every instance), in this instance's
 * memory otherwise, and in memory while Redis does not answer: a limit never stops holding.
 */
@Injectable()
export class ResilientThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly memory = new ThrottlerStorageService();
  private readonly shared?: ThrottlerStorageRedisService;

  constructor(private readonly redis: RedisConnection) {
    // Built on the shared client, the Redis storage leaves connecting and closing to RedisConnection.
    // Its script's two keys share one hash tag ({<key>:<throttler>}), so it runs on a Cluster as well.
    const client = redis.client;
    if (client instanceof Cluster) this.shared = new ThrottlerStorageRedisService(client);
    else if (client) this.shared = new ThrottlerStorageRedisService(client);
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const inMemory = (): Promise<ThrottlerStorageRecord> =>
      this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    const shared = this.shared;
    if (!shared) return inMemory();
    return this.redis.run(
      () => shared.increment(this.redis.key(`rate:${key}`), ttl, limit, blockDuration, throttlerName),
      inMemory,
    );
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
  }
}
