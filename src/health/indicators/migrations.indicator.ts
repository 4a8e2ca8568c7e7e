import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { CheckResult, healthy, unhealthy } from './check-result';
import { CheckRunner } from './check-runner';

/**
 * An instance whose schema lags its code must not take traffic: down while a migration compiled into
 * the service is not applied, and down when the build has no migration at all (it cannot tell).
 */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: CheckRunner,
  ) {}

  isHealthy(key = 'migrations'): Promise<HealthIndicatorResult> {
    return this.runner.run(key, 'Could not read the applied migrations', () => this.pending());
  }

  async pending(): Promise<CheckResult> {
    if (this.dataSource.migrations.length === 0) {
      return unhealthy('This build has no migrations compiled in: rebuild it with npm run build');
    }
    const pending = await this.dataSource.showMigrations();
    return pending ? unhealthy('Migrations are pending') : healthy('No migration pending');
  }
}
