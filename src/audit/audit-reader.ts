import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditAction, AuditOutcome } from './audit-actions';
import { AuditCursor, encodeAuditCursor } from './audit-cursor';
import { AuditDetailValue, AuditEvent } from './entities/audit-event.entity';

export interface AuditFilter {
  action?: AuditAction;
  actorId?: string;
  targetUserId?: string;
  outcome?: AuditOutcome;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

/** A row as the API returns it. */
export interface AuditItem {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  actorId: string | null;
  targetUserId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, AuditDetailValue>;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/** A row of audit_events as the reader selects it (snake_case, with the cursor's timestamp text). */
export interface AuditRow {
  id: string;
  occurred_at: Date;
  cursor_at: string;
  action: string;
  outcome: string;
  actor_id: string | null;
  target_user_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, AuditDetailValue>;
}

/** Rows fetched per query of the NDJSON export: about 0.3 MB of text, one short query each. */
export const EXPORT_BATCH_ROWS = 1000;

/** The keyset position at full (microsecond) precision: a JavaScript Date would drop digits and skip rows. */
const CURSOR_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const ROW_COLUMNS =
  'id, occurred_at, action, outcome, actor_id, target_user_id, ip_address, user_agent, request_id, details';

/**
 * Empties a result's row array once its values are copied out. The array is the one pg's query object
 * holds, and with query_timeout set that query stays reachable from its cleared timer: once the timer
 * has been promoted to old space, a dead one still counts as a root for every scavenge until the next
 * full collection, so each batch's 1,000 row objects and their strings were promoted with it. The
 * heap then climbed by ~200 MB between full collections (and RSS with it) on a 1,000,000-row export;
 * with the array emptied only the array itself is kept alive, and the rows die young.
 */
function releaseRows(rows: unknown[]): void {
  rows.length = 0;
}

function toItem(row: AuditRow): AuditItem {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actorId: row.actor_id,
    targetUserId: row.target_user_id,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    requestId: row.request_id,
    details: row.details,
  };
}

/**
 * Reads the trail newest first by (occurred_at, id), by keyset: a page starts strictly after its
 * cursor's row, so rows inserted meanwhile (newer) never shift what a walk visits.
 */
@Injectable()
export class AuditReader {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async page(filter: AuditFilter, after: AuditCursor | undefined, limit: number): Promise<AuditPage> {
    const rows = await this.fetch(filter, after, limit + 1);
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: items.map(toItem),
      nextCursor: last ? encodeAuditCursor({ occurredAt: last.cursor_at, id: last.id }) : null,
    };
  }

  /**
   * Every matching row as its JSON text, one keyset batch per step. Each batch is its own short query:
   * no connection or transaction is held between batches, so the embedded database's one connection
   * stays shared. The consumer pulls (backpressure): the next batch is read only once the previous one
   * was taken. Each line is the JSON page's item serialised the same way (toItem, JSON.stringify), so
   * both formats write the same text; PostgreSQL's json text would space it differently (`"id" : …`).
   * Each result's row array is emptied as soon as its lines are made (see releaseRows): that, not the
   * row shape, is what keeps the heap flat over a million rows.
   */
  async *batches(filter: AuditFilter, batchRows = EXPORT_BATCH_ROWS): AsyncGenerator<string[]> {
    let after: AuditCursor | undefined;
    for (;;) {
      const rows = await this.fetch(filter, after, batchRows);
      const count = rows.length;
      const lines = rows.map((row) => JSON.stringify(toItem(row)));
      const last = rows[count - 1];
      if (last) after = { occurredAt: last.cursor_at, id: last.id };
      releaseRows(rows);
      if (count > 0) yield lines;
      if (count < batchRows) return;
    }
  }

  private fetch(filter: AuditFilter, after: AuditCursor | undefined, limit: number): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.action) where.push(`action = ${bind(filter.action)}`);
    if (filter.actorId) where.push(`actor_id = ${bind(filter.actorId)}`);
    if (filter.targetUserId) where.push(`target_user_id = ${bind(filter.targetUserId)}`);
    if (filter.outcome) where.push(`outcome = ${bind(filter.outcome)}`);
    if (filter.since) where.push(`occurred_at >= ${bind(filter.since)}`);
    if (filter.until) where.push(`occurred_at < ${bind(filter.until)}`);
    if (after) {
      where.push(`(occurred_at, id) < (${bind(after.occurredAt)}::timestamptz, ${bind(after.id)}::uuid)`);
    }
    return this.events.query(
      `SELECT ${ROW_COLUMNS}, ${CURSOR_AT} AS cursor_at
         FROM audit_events
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, id DESC
        LIMIT ${bind(limit)}`,
      params,
    );
  }
}
