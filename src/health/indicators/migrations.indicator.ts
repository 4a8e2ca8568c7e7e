import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { CheckResult, healthy, unhealthy } from './check-result';
import { CheckRunner } from './check-runner';

/** An instance whose schema lags its code must not take traffic: down while a migration is pending. */
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
    const pending = await this.dataSource.showMigrations();
    return pending ? unhealthy('Migrations are pending') : healthy('No migration pending');
  }
}
