import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseConfig } from '../../config/database.config';
import { LoggingConfig } from '../../config/logging.config';
import { CheckResult, healthy, unhealthy } from './check-result';
import { CheckRunner } from './check-runner';

/** Below this share of free space, log rotation and the embedded database start failing writes. */
const MIN_FREE_SHARE = 0.05;

const GB = 1024 ** 3;

/**
 * Free space where the service writes (LOG_DIR, and DATA_DIR for the embedded database), read with one
 * statfs call each: Terminus' built-in disk indicator forks `df` on every probe instead.
 */
@Injectable()
export class DiskHealthIndicator {
  private readonly paths: Array<{ name: string; path: string }>;

  constructor(
    logging: LoggingConfig,
    database: DatabaseConfig,
    private readonly runner: CheckRunner,
  ) {
    this.paths = [{ name: 'logs', path: resolve(logging.dir) }];
    if (database.embedded && !database.inMemory) this.paths.push({ name: 'data', path: resolve(database.dataDir) });
  }

  isHealthy(key = 'disk'): Promise<HealthIndicatorResult> {
    return this.runner.run(key, 'Could not read free disk space', () => this.freeSpace());
  }

  async freeSpace(): Promise<CheckResult> {
    const parts: string[] = [];
    let low = false;
    for (const { name, path } of this.paths) {
      const stats = await statfs(path);
      const total = stats.blocks * stats.bsize;
      const free = stats.bavail * stats.bsize;
      const freeShare = total > 0 ? free / total : 0;
      low ||= freeShare < MIN_FREE_SHARE;
      parts.push(`${name}: ${(free / GB).toFixed(1)} GB free of ${(total / GB).toFixed(1)} GB`);
    }
    const text = parts.join(', ');
    return low ? unhealthy(`Disk space low: ${text}`) : healthy(`Disk space sufficient: ${text}`);
  }
}
