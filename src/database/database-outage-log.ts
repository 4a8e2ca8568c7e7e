import { AsyncLocalStorage } from 'node:async_hooks';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutageLog } from '../common/problem-details/outage-log';

/** How often an outage's end is looked for: the end line comes at most this late. */
export const OUTAGE_PROBE_MS = 1000;

interface Outage {
  startedAt: number;
  refused: number;
  probe: NodeJS.Timeout;
}

/** The error in one line (class, code, first line of its message): enough to tell what failed. */
export function outageCause(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, code, driverError, message } = error as {
    name?: unknown;
    code?: unknown;
    driverError?: { code?: unknown };
    message?: unknown;
  };
  const label = [name, code ?? driverError?.code].filter((part) => part !== undefined && part !== '').join(' ');
  const text = String(message ?? '').split('\n')[0];
  return (text ? `${label}: ${text}` : label).slice(0, 300);
}

/**
 * A database outage as two WARNING lines: one when the first request (or background job) finds the
 * database unreachable, with the cause; one when it answers again, with how long it lasted and how many
 * requests were answered 503 meanwhile. The outage drill of 2026-12-06 wrote 190 stacks in 6 s instead.
 * While an outage lasts, the database is probed every OUTAGE_PROBE_MS; nothing runs otherwise.
 */
@Injectable()
export class DatabaseOutageLog extends OutageLog implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Database');
  private outage?: Outage;
  private probing = false;
  /** Runs a function outside any request: the probe's lines must not carry the first refused request's id. */
  private readonly outsideRequests = AsyncLocalStorage.snapshot();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  refused(cause: unknown): void {
    this.begin(cause).refused += 1;
  }

  noticed(cause: unknown): void {
    this.begin(cause);
  }

  /** Shutdown during an outage: the count so far, since no end line will come. */
  beforeApplicationShutdown(): void {
    const outage = this.outage;
    if (!outage) return;
    this.finish(outage, 'database still unreachable at shutdown');
  }

  private begin(cause: unknown): Outage {
    if (this.outage) return this.outage;
    const probe = this.outsideRequests(() => setInterval(() => void this.probe(), OUTAGE_PROBE_MS).unref());
    this.outage = { startedAt: Date.now(), refused: 0, probe };
    this.logger.warn(
      { cause: outageCause(cause) },
      'database unreachable: requests that need it are answered 503 until it answers again',
    );
    return this.outage;
  }

  private async probe(): Promise<void> {
    // A probe waits up to the pool's connect timeout: never two at once.
    if (this.probing || !this.outage) return;
    this.probing = true;
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      return;
    } finally {
      this.probing = false;
    }
    if (this.outage) this.finish(this.outage, 'database reachable again');
  }

  private finish(outage: Outage, message: string): void {
    clearInterval(outage.probe);
    this.outage = undefined;
    const seconds = Math.round((Date.now() - outage.startedAt) / 100) / 10;
    this.logger.warn(
      { outage_seconds: seconds, refused_requests: outage.refused },
      `${message} after ${seconds} s: ${outage.refused} ${outage.refused === 1 ? 'request was' : 'requests were'} answered 503`,
    );
  }
}
