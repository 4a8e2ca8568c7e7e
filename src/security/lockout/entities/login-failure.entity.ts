import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LockoutCounter } from '../lockout-policy';

/**
 * Attempts and failures of one email address on one counter (a SHA-256 of the normalised address, so
 * the table never holds the addresses an attacker tried). Written only by LoginFailureRepository.
 */
@Entity('login_failures')
@Check('login_failures_counter_check', `"counter" IN ('password', 'code')`)
@Index('login_failures_window_started_at_idx', ['windowStartedAt'])
export class LoginFailure {
  @PrimaryColumn({ name: 'email_hash', type: 'char', length: 64, primaryKeyConstraintName: 'PK_login_failures' })
  emailHash!: string;

  /** Wrong passwords, or wrong second-factor codes: each address has one row per counter. */
  @PrimaryColumn({ type: 'varchar', length: 8, primaryKeyConstraintName: 'PK_login_failures' })
  counter!: LockoutCounter;

  /** Failures plus reservations not yet settled: refused at the threshold, so the budget holds under concurrency. */
  @Column({ name: 'attempt_count', type: 'integer', default: 0 })
  attemptCount!: number;

  @Column({ name: 'failure_count', type: 'integer' })
  failureCount!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  /** The newest reservation: older than RESERVATION_LIFETIME, unsettled ones no longer hold the budget. */
  @Column({ name: 'reserved_at', type: 'timestamptz', nullable: true })
  reservedAt!: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
