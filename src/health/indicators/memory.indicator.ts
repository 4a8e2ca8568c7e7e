import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { getHeapStatistics } from 'node:v8';
import { CheckResult, healthy, unhealthy } from './check-result';
import { CheckRunner } from './check-runner';

/** Past this share of V8's heap limit, garbage collection thrashes and an out-of-memory crash is near. */
const HEAP_LIMIT_SHARE = 0.9;

const MB = 1024 * 1024;

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The heap against V8's limit, read in-process: no sampling, no child process. */
@Injectable()
export class MemoryHealthIndicator {
  constructor(private readonly runner: CheckRunner) {}

  isHealthy(key = 'memory'): Promise<HealthIndicatorResult> {
    return this.runner.run(key, 'Could not read memory usage', async () => this.heap());
  }

  heap(): CheckResult {
    const heap = getHeapStatistics();
    const share = heap.used_heap_size / heap.heap_size_limit;
    const text =
      `heap ${round(heap.used_heap_size / MB, 1)} MB of ${round(heap.heap_size_limit / MB, 0)} MB ` +
      `(${round(share * 100, 1)} %), RSS ${round(process.memoryUsage.rss() / MB, 1)} MB`;
    return share < HEAP_LIMIT_SHARE ? healthy(`Memory usage normal: ${text}`) : unhealthy(`Memory usage high: ${text}`);
  }
}
