import { Module } from '@nestjs/common';
import { SecurityLogModule } from '../security-log.module';
import { REDIS_ANSWER_DEADLINE, REDIS_ANSWER_DEADLINE_MS, RedisConnection } from './redis-connection';

@Module({
  imports: [SecurityLogModule],
  providers: [RedisConnection, { provide: REDIS_ANSWER_DEADLINE, useValue: REDIS_ANSWER_DEADLINE_MS }],
  exports: [RedisConnection],
})
export class RedisModule {}
