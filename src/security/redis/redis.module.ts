import { Module } from '@nestjs/common';
import { SecurityLogModule } from '../security-log.module';
import { RedisConnection } from './redis-connection';

@Module({ imports: [SecurityLogModule], providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
