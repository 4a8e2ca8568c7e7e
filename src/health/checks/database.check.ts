import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckResult, elapsedMs, healthy, unhealthy } from './check-result';

@Injectable()
export class DatabaseCheck {
  constructor(private readonly dataSource: DataSource) {}

  /** A round trip through the pool, as a request would make it. */
  async ping(): Promise<CheckResult> {
    const startedAt = performance.now();
    await this.dataSource.query('SELECT 1');
    return healthy('Database connection successful', elapsedMs(startedAt));
  }

  /** An instance whose schema lags its code must not take traffic. */
  async migrations(): Promise<CheckResult> {
    const pending = await this.dataSource.showMigrations();
    return pending ? unhealthy('Migrations are pending') : healthy('No migration pending');
  }
}
