import { Module } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RedisConnection } from '../redis/redis-connection';
import { SecurityLogModule } from '../security-log.module';
import { RedisModule } from '../redis/redis.module';
import { LoginFailure } from './entities/login-failure.entity';
import { LOCKOUT_STORE, LockoutStore } from './lockout-store';
import { LockoutService } from './lockout.service';
import { PostgresLockoutStore } from './postgres-lockout-store';
import { RedisLockoutStore } from './redis-lockout-store';

/** Lockout counters where every instance shares them: Redis when configured, else PostgreSQL. */
function lockoutStore(redis: RedisConnection, failures: Repository<LoginFailure>): LockoutStore {
  return redis.configured ? new RedisLockoutStore(redis) : new PostgresLockoutStore(failures);
}

@Module({
  imports: [RedisModule, SecurityLogModule, TypeOrmModule.forFeature([LoginFailure])],
  providers: [
    { provide: LOCKOUT_STORE, inject: [RedisConnection, getRepositoryToken(LoginFailure)], useFactory: lockoutStore },
    LockoutService,
  ],
  exports: [LockoutService],
})
export class LockoutModule {}
