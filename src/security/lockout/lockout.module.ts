import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RedisConnection } from '../redis/redis-connection';
import { RedisModule } from '../redis/redis.module';
import { LOCKOUT_STORE, LockoutStore } from './lockout-store';
import { LockoutService } from './lockout.service';
import { PostgresLockoutStore } from './postgres-lockout-store';
import { RedisLockoutStore } from './redis-lockout-store';

/** Lockout counters where every instance shares them: Redis when configured, else PostgreSQL. */
function lockoutStore(redis: RedisConnection, dataSource: DataSource): LockoutStore {
  return redis.configured ? new RedisLockoutStore(redis) : new PostgresLockoutStore(dataSource);
}

@Module({
  imports: [RedisModule],
  providers: [
    { provide: LOCKOUT_STORE, inject: [RedisConnection, DataSource], useFactory: lockoutStore },
    LockoutService,
  ],
  exports: [LockoutService],
})
export class LockoutModule {}
