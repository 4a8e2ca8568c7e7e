import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { AuditConfig } from '../config/audit.config';
import { AuditEvent } from './entities/audit-event.entity';

const DAY_MS = 86_400_000;
/** Rows per DELETE: each statement is short and locks only its own rows, never the table. */
export const PURGE_BATCH_ROWS = 5000;

/** Deletes audit rows older than AUDIT_RETENTION_DAYS (called by the hourly retention job). */
@Injectable()
export class AuditRetention {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly config: AuditConfig,
    private readonly clock: Clock,
  ) {}

  async purgeExpired(batchRows = PURGE_BATCH_ROWS): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.retentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      // Autocommit per batch: between two, other writers (and the embedded database's one connection) go on.
      const [, deleted] = (await this.events.query(
        `DELETE FROM audit_events WHERE id IN (
           SELECT id FROM audit_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)`,
        [cutoff, batchRows],
      )) as [unknown[], number];
      total += deleted;
      if (deleted < batchRows) return total;
    }
  }
}
