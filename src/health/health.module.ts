import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { SecurityModule } from '../security/security.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { CheckRunner } from './indicators/check-runner';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { DiskHealthIndicator } from './indicators/disk.indicator';
import { MemoryHealthIndicator } from './indicators/memory.indicator';
import { MigrationsHealthIndicator } from './indicators/migrations.indicator';
import { RedisHealthIndicator } from './indicators/redis.indicator';
import { ProcessInfo } from './process-info';

@Module({
  // Terminus' own logger would write the whole result, as an error, on every failed probe while a
  // dependency is down: CheckRunner logs one line per change of state instead.
  imports: [TerminusModule.forRoot({ logger: false }), SecurityModule, LifecycleModule],
  controllers: [HealthController],
  providers: [
    HealthService,
    CheckRunner,
    DatabaseHealthIndicator,
    MigrationsHealthIndicator,
    RedisHealthIndicator,
    MemoryHealthIndicator,
    DiskHealthIndicator,
    ProcessInfo,
  ],
})
export class HealthModule {}
