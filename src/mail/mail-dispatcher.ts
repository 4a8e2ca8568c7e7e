import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OutageLog } from '../common/problem-details/outage-log';
import { databaseUnavailable } from '../common/problem-details/problem-from-error';
import { backoffSeconds, describeFailure, isPermanentRejection, isServerUnavailable } from './delivery-failure';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailTransport } from './transports/mail-transport';
import { UnconfiguredMailTransport } from './transports/unconfigured-mail-transport';

const POLL_INTERVAL_MS = 500;
const BATCH_SIZE = 10;
/** Longer than a batch can take with the SMTP timeouts, so a lease never lapses mid-send. */
const LEASE_SECONDS = 120;
/** A message the server refuses outright this many times is given up (an unreachable server never). */
const GIVE_UP_AFTER_REJECTIONS = 5;
/** Shutdown waits this long for a send in progress; a lapsed lease lets another instance finish it. */
const STOP_WAIT_MS = 3000;
/**
 * Postgres' undefined_table and undefined_column: the first polls of a fresh or older database may run
 * while its migrations are still being applied (the outbox table, or a column a later migration adds).
 */
const SCHEMA_NOT_READY = new Set(['42P01', '42703']);

type Delivery =
  { outcome: 'sent' } | { outcome: 'failed' | 'server_unavailable'; retryInSeconds: number; error: string };

/**
 * Sends the outbox: one per application instance, polling every 500 ms and woken at once when this
 * instance queues a mail. Due rows are claimed in a short transaction (FOR UPDATE SKIP LOCKED, then a
 * lease in locked_until), sent with no transaction open, and the outcome recorded in another short
 * statement: the embedded database's one connection is never held while SMTP talks, and several
 * instances never take the same row. Times come from the database's now(), the one clock every
 * instance shares.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MailDispatcher.name);
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private inProgress?: Promise<void>;
  private wokenDuringRun = false;
  private lastReportedError?: string;
  /** Once a poll has succeeded, the schema is in place: a missing table or column is then a fault. */
  private schemaSeen = false;

  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly transport: MailTransport,
    private readonly outages: OutageLog,
  ) {}

  onApplicationBootstrap(): void {
    // Without a way to send, there is nothing to poll for: the outbox queues nothing.
    if (this.transport instanceof UnconfiguredMailTransport) return;
    this.stopped = false;
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.inProgress) {
      await Promise.race([this.inProgress, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    }
    this.transport.close();
  }

  /** A mail was just committed by this instance: send it now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.inProgress) this.wokenDuringRun = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    // Unref'd: a pending poll never keeps the process alive by itself.
    this.timer = setTimeout(() => this.run(), delayMs).unref();
  }

  private run(): void {
    this.timer = undefined;
    this.wokenDuringRun = false;
    this.inProgress = this.dispatchDue()
      .then(() => {
        this.lastReportedError = undefined;
        this.schemaSeen = true;
      })
      .catch((error: unknown) => this.reportError(error))
      .finally(() => {
        this.inProgress = undefined;
        if (!this.stopped) this.schedule(this.wokenDuringRun ? 0 : POLL_INTERVAL_MS);
      });
  }

  private async dispatchDue(): Promise<void> {
    let batch: OutboxMessage[];
    do {
      batch = await this.claimDue();
      for (const [index, message] of batch.entries()) {
        const delivery = await this.deliver(message);
        if (delivery.outcome === 'server_unavailable') {
          // The rest would fail the same way: they wait with the one that failed, untried.
          await this.release(batch.slice(index + 1), delivery.retryInSeconds, delivery.error);
          return;
        }
        if (this.stopped) {
          await this.release(batch.slice(index + 1), 0);
          return;
        }
      }
    } while (batch.length === BATCH_SIZE);
  }

  private claimDue(): Promise<OutboxMessage[]> {
    return this.messages.manager.transaction(async (manager) => {
      const messages = manager.withRepository(this.messages);
      const due = await messages
        .createQueryBuilder('message')
        .where('message.sent_at IS NULL AND message.failed_at IS NULL')
        .andWhere('message.next_attempt_at <= now()')
        .andWhere('(message.locked_until IS NULL OR message.locked_until <= now())')
        .orderBy('message.next_attempt_at')
        .limit(BATCH_SIZE)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (due.length > 0) {
        await messages
          .createQueryBuilder()
          .update()
          .set({ lockedUntil: () => `now() + interval '${LEASE_SECONDS} seconds'` })
          .whereInIds(due.map((message) => message.id))
          .execute();
      }
      return due;
    });
  }

  private async deliver(message: OutboxMessage): Promise<Delivery> {
    try {
      await this.transport.send({
        purpose: message.purpose,
        ...(message.event ? { event: message.event } : {}),
        to: message.recipient,
        subject: message.subject,
        text: message.textBody ?? '',
        html: message.htmlBody ?? '',
        link: message.link,
      });
    } catch (error) {
      return this.recordFailure(message, error);
    }
    await this.messages
      .createQueryBuilder()
      .update()
      // The bodies and link hold the token: once delivered, the table keeps none of it.
      .set({
        sentAt: () => 'now()',
        attempts: () => 'attempts + 1',
        lockedUntil: null,
        textBody: null,
        htmlBody: null,
        link: null,
      })
      .where('id = :id AND sent_at IS NULL', { id: message.id })
      .execute();
    this.logger.log(`mail ${message.id} (${message.purpose}) sent on attempt ${message.attempts + 1}`);
    return { outcome: 'sent' };
  }

  private async recordFailure(message: OutboxMessage, failure: unknown): Promise<Delivery> {
    const attempts = message.attempts + 1;
    const giveUp = isPermanentRejection(failure) && attempts >= GIVE_UP_AFTER_REJECTIONS;
    const retryInSeconds = backoffSeconds(attempts);
    const error = describeFailure(failure);
    await this.messages
      .createQueryBuilder()
      .update()
      .set({
        attempts,
        lastError: error,
        lockedUntil: null,
        nextAttemptAt: () => `now() + interval '${retryInSeconds} seconds'`,
        failedAt: giveUp ? () => 'now()' : null,
      })
      .where('id = :id', { id: message.id })
      .execute();
    const next = giveUp ? 'given up' : `next attempt in ${retryInSeconds} s`;
    this.logger.warn(`mail ${message.id} (${message.purpose}) attempt ${attempts} failed, ${next}: ${error}`);
    return { outcome: isServerUnavailable(failure) ? 'server_unavailable' : 'failed', retryInSeconds, error };
  }

  /** Hands claimed rows back untried (no attempt counted), due again in delaySeconds. */
  private async release(messages: OutboxMessage[], delaySeconds: number, heldBackBy?: string): Promise<void> {
    if (messages.length === 0) return;
    await this.messages
      .createQueryBuilder()
      .update()
      .set({
        lockedUntil: null,
        nextAttemptAt: () => `now() + interval '${delaySeconds} seconds'`,
        ...(heldBackBy ? { lastError: `held back, the server being unavailable: ${heldBackBy}`.slice(0, 500) } : {}),
      })
      .whereInIds(messages.map((message) => message.id))
      .execute();
  }

  /** Said once per distinct problem, so a database outage does not write a line every 500 ms. */
  private reportError(error: unknown): void {
    const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
    if (!this.schemaSeen && code !== undefined && SCHEMA_NOT_READY.has(code)) return;
    // The outage's own two lines (when it begins and ends) say it; the outbox waits for its end.
    if (databaseUnavailable(error)) return this.outages.noticed(error);
    const text = describeFailure(error);
    if (text === this.lastReportedError) return;
    this.lastReportedError = text;
    this.logger.error(`mail dispatch failed: ${text}`);
  }
}
