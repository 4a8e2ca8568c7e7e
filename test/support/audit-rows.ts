import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/entities/audit-event.entity';

/** An audit row as stored: the entity itself, so a column added to it is seen here too. */
export type StoredAuditRow = AuditEvent;

/** Rows naming the user as actor or target, oldest first. */
export async function auditRowsOf(dataSource: DataSource, userId: string): Promise<StoredAuditRow[]> {
  return dataSource.getRepository(AuditEvent).find({
    where: [{ actorId: userId }, { targetUserId: userId }],
    order: { occurredAt: 'ASC', id: 'ASC' },
  });
}

/** Rows of one action naming the user, oldest first. */
export async function auditRowsFor(dataSource: DataSource, userId: string, action: string): Promise<StoredAuditRow[]> {
  return (await auditRowsOf(dataSource, userId)).filter((row) => row.action === action);
}

/**
 * Inserts `count` rows for one actor at the given times (SQL, fast), as another writer would.
 * Returns their ids.
 */
export async function insertAuditRows(
  dataSource: DataSource,
  rows: { occurredAt: Date; action?: string; outcome?: string; actorId: string; targetUserId?: string | null }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const values: unknown[] = [];
  const tuples = rows.map((row, i) => {
    values.push(row.occurredAt, row.action ?? 'login.succeeded', row.outcome ?? 'success', row.actorId);
    values.push(row.targetUserId === undefined ? row.actorId : row.targetUserId);
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
  });
  const inserted = (await dataSource.query(
    `INSERT INTO audit_events (occurred_at, action, outcome, actor_id, target_user_id) VALUES ${tuples.join(', ')}
     RETURNING id`,
    values,
  )) as { id: string }[];
  return inserted.map((row) => row.id);
}
