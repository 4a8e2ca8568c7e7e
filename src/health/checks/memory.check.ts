import { freemem, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { CheckResult, healthy, unhealthy } from './check-result';

/** Past this share of V8's heap limit, garbage collection thrashes and an out-of-memory crash is near. */
const HEAP_LIMIT_SHARE = 0.9;

const MB = 1024 * 1024;
const GB = 1024 * MB;

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function checkMemory(): CheckResult {
  const heap = getHeapStatistics();
  const share = heap.used_heap_size / heap.heap_size_limit;
  const text =
    `heap ${round(heap.used_heap_size / MB, 1)} MB of ${round(heap.heap_size_limit / MB, 0)} MB ` +
    `(${round(share * 100, 1)} %), RSS ${round(process.memoryUsage.rss() / MB, 1)} MB`;
  return share < HEAP_LIMIT_SHARE ? healthy(`Memory usage normal: ${text}`) : unhealthy(`Memory usage high: ${text}`);
}

export interface SystemMemoryUsage {
  total_gb: number;
  used_gb: number;
  percentage: number;
}

/** The machine's memory, as the original service reported it. */
export function systemMemoryUsage(): SystemMemoryUsage {
  const total = totalmem();
  const used = total - freemem();
  return { total_gb: round(total / GB, 2), used_gb: round(used / GB, 2), percentage: round((used / total) * 100, 2) };
}
