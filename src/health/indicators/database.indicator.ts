import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { CheckResult, elapsedMs, healthy } from './check-result';
import { CheckRunner } from './check-runner';

/** The database round trip, as a Terminus indicator. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: CheckRunner,
  ) {}

  isHealthy(key = 'database'): Promise<HealthIndicatorResult> {
    return this.runner.run(key, 'Database unreachable', () => this.ping());
  }

  /** A round trip through the pool, as a request would make it. */
  async ping(): Promise<CheckResult> {
    const startedAt = performance.now();
    await this.dataSource.query('SELECT 1');
    return healthy('Database connection successful', elapsedMs(startedAt));
  }
}
