import { freemem, totalmem } from 'node:os';

export interface SystemMemoryUsage {
  total_gb: number;
  used_gb: number;
  percentage: number;
}

const GB = 1024 ** 3;

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The machine's memory, as the original service reported it in `memory_usage`. */
export function systemMemoryUsage(): SystemMemoryUsage {
  const total = totalmem();
  const used = total - freemem();
  return { total_gb: round(total / GB), used_gb: round(used / GB), percentage: round((used / total) * 100) };
}
