import { Injectable } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { AppConfig } from '../config/app.config';
import { Settings } from '../config/settings';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { summarizeMetrics, MetricsSummary } from '../metrics/metrics-summary';
import { MetricsService } from '../metrics/metrics.service';
import { configurationSummary } from './configuration-summary';
import { CheckResult, unhealthy } from './indicators/check-result';
import { DatabaseHealthIndicator } from './indicators/database.indicator';
import { DiskHealthIndicator } from './indicators/disk.indicator';
import { MemoryHealthIndicator } from './indicators/memory.indicator';
import { MigrationsHealthIndicator } from './indicators/migrations.indicator';
import { RedisHealthIndicator } from './indicators/redis.indicator';
import { checksFrom, resultOfFailedCheck } from './indicators/terminus-checks';
import { ProcessDetails, ProcessInfo } from './process-info';
import { SystemMemoryUsage, systemMemoryUsage } from './system-memory';

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface BasicHealth {
  status: OverallStatus;
  timestamp: string;
  version: string;
  environment: string;
}

export interface CheckedHealth extends BasicHealth {
  checks: Record<string, CheckResult>;
}

export interface DetailedHealth extends CheckedHealth {
  uptime_seconds: number;
  memory_usage: SystemMemoryUsage;
}

export interface FullHealth extends DetailedHealth {
  process: ProcessDetails;
  configuration: Record<string, unknown>;
}

export type ApplicationMetricsHealth = BasicHealth & MetricsSummary & { uptime_seconds: number };

/** The original's check of the process itself: if this line runs, the application is running. */
const APPLICATION_RUNNING: CheckResult = { status: 'healthy', message: 'Application is running' };

function allHealthy(checks: Record<string, CheckResult>): boolean {
  return Object.values(checks).every((check) => check.status === 'healthy');
}

@Injectable()
export class HealthService {
  constructor(
    private readonly app: AppConfig,
    private readonly settings: Settings,
    private readonly terminus: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly disk: DiskHealthIndicator,
    private readonly processInfo: ProcessInfo,
    private readonly shutdown: ShutdownState,
    private readonly metrics: MetricsService,
  ) {}

  basic(status: OverallStatus = 'healthy'): BasicHealth {
    return {
      status,
      timestamp: new Date().toISOString(),
      version: this.app.appVersion ?? '',
      environment: this.app.environment,
    };
  }

  /**
   * Ready to take traffic: database reachable, schema current, not shutting down. Redis is left out on
   * purpose: without it every instance keeps serving on its own counters, and failing readiness on
   * every replica at once would turn a Redis outage into a full outage.
   */
  async readiness(): Promise<CheckedHealth> {
    if (this.shutdown.shuttingDown) {
      return { ...this.basic('unhealthy'), checks: { shutdown: unhealthy('Shutting down: not taking new requests') } };
    }
    const checks = await this.check({
      database: () => this.database.isHealthy('database'),
      migrations: () => this.migrations.isHealthy('migrations'),
    });
    return { ...this.basic(allHealthy(checks) ? 'healthy' : 'unhealthy'), checks };
  }

  async databaseRoundTrip(): Promise<CheckedHealth> {
    const checks = await this.check({ database: () => this.database.isHealthy('database') });
    return { ...this.basic(allHealthy(checks) ? 'healthy' : 'unhealthy'), checks };
  }

  /** Unhealthy without the database; degraded when only Redis, memory or disk is. */
  async detailed(): Promise<DetailedHealth> {
    const { database, redis, memory, disk } = await this.check({
      database: () => this.database.isHealthy('database'),
      redis: () => this.redis.isHealthy('redis'),
      memory: () => this.memory.isHealthy('memory'),
      disk: () => this.disk.isHealthy('disk'),
    });
    const checks = { application: APPLICATION_RUNNING, database, redis, memory, disk };
    const status: OverallStatus =
      database.status === 'unhealthy' ? 'unhealthy' : allHealthy(checks) ? 'healthy' : 'degraded';
    return {
      ...this.basic(status),
      checks,
      uptime_seconds: Math.round(process.uptime() * 100) / 100,
      memory_usage: systemMemoryUsage(),
    };
  }

  async full(): Promise<FullHealth> {
    return {
      ...(await this.detailed()),
      process: this.processInfo.details(),
      configuration: configurationSummary(this.settings),
    };
  }

  async applicationMetrics(): Promise<ApplicationMetricsHealth> {
    return {
      ...this.basic(),
      uptime_seconds: Math.round(process.uptime() * 100) / 100,
      ...(await summarizeMetrics(this.metrics)),
    };
  }

  /**
   * Runs the indicators through Terminus' HealthCheckService and reads its result back in the
   * original's shape; each indicator already holds its own budget, so this never waits long.
   */
  private async check(indicators: Record<string, HealthIndicatorFunction>): Promise<Record<string, CheckResult>> {
    let result: HealthCheckResult;
    try {
      result = await this.terminus.check(Object.values(indicators));
    } catch (error) {
      result = resultOfFailedCheck(error);
    }
    return checksFrom(result, Object.keys(indicators));
  }
}
