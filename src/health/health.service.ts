import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { Settings } from '../config/settings';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { summarizeMetrics, MetricsSummary } from '../metrics/metrics-summary';
import { MetricsService } from '../metrics/metrics.service';
import {
  CHECK_TIMEOUT_MS,
  CheckResult,
  CheckStatus,
  CheckTimeoutError,
  unhealthy,
  within,
} from './checks/check-result';
import { DatabaseCheck } from './checks/database.check';
import { DiskCheck } from './checks/disk.check';
import { checkMemory, SystemMemoryUsage, systemMemoryUsage } from './checks/memory.check';
import { RedisCheck } from './checks/redis.check';
import { configurationSummary } from './configuration-summary';
import { ProcessDetails, ProcessInfo } from './process-info';

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

/** What a failed check says to an unauthenticated caller: the error itself goes to the log only. */
const FAILURE_MESSAGES: Record<string, string> = {
  database: 'Database unreachable',
  migrations: 'Could not read the applied migrations',
  redis: 'Redis unreachable',
  disk: 'Could not read free disk space',
  memory: 'Could not read memory usage',
};

/** The original's check of the process itself: if this line runs, the application is running. */
const APPLICATION_RUNNING: CheckResult = { status: 'healthy', message: 'Application is running' };

function allHealthy(checks: Record<string, CheckResult>): boolean {
  return Object.values(checks).every((check) => check.status === 'healthy');
}

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');
  private readonly lastStatus = new Map<string, CheckStatus>();

  constructor(
    private readonly app: AppConfig,
    private readonly settings: Settings,
    private readonly database: DatabaseCheck,
    private readonly redis: RedisCheck,
    private readonly disk: DiskCheck,
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
    const [database, migrations] = await Promise.all([
      this.run('database', () => this.database.ping()),
      this.run('migrations', () => this.database.migrations()),
    ]);
    const checks: Record<string, CheckResult> = { database, migrations };
    return { ...this.basic(allHealthy(checks) ? 'healthy' : 'unhealthy'), checks };
  }

  async databaseRoundTrip(): Promise<CheckedHealth> {
    const database = await this.run('database', () => this.database.ping());
    return { ...this.basic(database.status === 'healthy' ? 'healthy' : 'unhealthy'), checks: { database } };
  }

  /** Unhealthy without the database; degraded when only Redis, memory or disk is. */
  async detailed(): Promise<DetailedHealth> {
    const [database, redis, memory, disk] = await Promise.all([
      this.run('database', () => this.database.ping()),
      this.run('redis', () => this.redis.ping()),
      this.run('memory', async () => checkMemory()),
      this.run('disk', () => this.disk.check()),
    ]);
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

  private async run(name: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
    let result: CheckResult;
    let cause: string | undefined;
    try {
      result = await within(CHECK_TIMEOUT_MS, check);
    } catch (error) {
      cause = (error as Error).message ?? String(error);
      const timedOut = error instanceof CheckTimeoutError;
      result = unhealthy(`${FAILURE_MESSAGES[name] ?? 'Check failed'}${timedOut ? ` (${cause})` : ''}`);
    }
    this.logTransition(name, result, cause);
    return result;
  }

  /** One log line when a check changes state, not one per probe while a dependency is down. */
  private logTransition(name: string, result: CheckResult, cause: string | undefined): void {
    const previous = this.lastStatus.get(name);
    this.lastStatus.set(name, result.status);
    if (result.status === previous) return;
    if (result.status === 'unhealthy') this.logger.warn(`health check ${name} unhealthy: ${cause ?? result.message}`);
    else if (previous === 'unhealthy') this.logger.log(`health check ${name} healthy again`);
  }
}
