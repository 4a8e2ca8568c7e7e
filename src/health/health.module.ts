import { Module } from '@nestjs/common';
import { DatabaseCheck } from './checks/database.check';
import { DiskCheck } from './checks/disk.check';
import { RedisCheck } from './checks/redis.check';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ProcessInfo } from './process-info';

@Module({
  controllers: [HealthController],
  providers: [HealthService, DatabaseCheck, RedisCheck, DiskCheck, ProcessInfo],
})
export class HealthModule {}
