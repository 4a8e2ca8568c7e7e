import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction, AuditOutcome } from '../audit-actions';

/** A value of `details`: flat and scalar, so no nested object can smuggle a secret past review. */
export type AuditDetailValue = string | number | boolean | null;

/**
 * One security-relevant event. No foreign keys: a row must outlive the account it names (the
 * `account.deleted` row is the proof of the deletion). Every listing walks (occurred_at, id)
 * newest first; each index ends in those two columns, so a filtered page is one backward index scan.
 */
@Entity('audit_events')
@Check('audit_events_outcome_check', `"outcome" IN ('success', 'failure')`)
// Unfiltered admin pages, the NDJSON export and the retention job's `occurred_at < cutoff`.
@Index('audit_events_occurred_at_idx', ['occurredAt', 'id'])
// A user's own activity and the admin filter by targetUserId.
@Index('audit_events_target_user_idx', ['targetUserId', 'occurredAt', 'id'])
@Index('audit_events_actor_idx', ['actorId', 'occurredAt', 'id'])
@Index('audit_events_action_idx', ['action', 'occurredAt', 'id'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_audit_events_id' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'target_user_id', type: 'uuid', nullable: true })
  targetUserId!: string | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, AuditDetailValue>;
}
