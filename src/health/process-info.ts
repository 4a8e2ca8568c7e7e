import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessDetails {
  node_version: string;
  pid: number;
  platform: string;
  arch: string;
  uptime_seconds: number;
  event_loop_delay_ms: { mean: number; p50: number; p99: number; max: number };
  heap: { used_mb: number; total_mb: number };
  rss_mb: number;
}

const MB = 1024 * 1024;

function ms(nanoseconds: number): number {
  return Math.round(nanoseconds / 1e4) / 100;
}

function mb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}

/** The process facts of /health/full; the event-loop delay is sampled continuously by libuv. */
@Injectable()
export class ProcessInfo implements OnModuleInit, OnModuleDestroy {
  private readonly loopDelay: ELDHistogram = monitorEventLoopDelay({ resolution: 20 });

  onModuleInit(): void {
    this.loopDelay.enable();
  }

  onModuleDestroy(): void {
    this.loopDelay.disable();
  }

  details(): ProcessDetails {
    const memory = process.memoryUsage();
    const delay = this.loopDelay;
    const sampled = delay.count > 0;
    return {
      node_version: process.version,
      pid: process.pid,
      platform: process.platform,
      arch: process.arch,
      uptime_seconds: Math.round(process.uptime() * 100) / 100,
      event_loop_delay_ms: {
        mean: sampled ? ms(delay.mean) : 0,
        p50: sampled ? ms(delay.percentile(50)) : 0,
        p99: sampled ? ms(delay.percentile(99)) : 0,
        max: sampled ? ms(delay.max) : 0,
      },
      heap: { used_mb: mb(memory.heapUsed), total_mb: mb(memory.heapTotal) },
      rss_mb: mb(memory.rss),
    };
  }
}
