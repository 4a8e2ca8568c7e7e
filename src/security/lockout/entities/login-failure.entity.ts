import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Login attempts and failures of one email address (a SHA-256 of the normalised address, so the table never holds
 * the addresses an attacker tried), when Redis is not configured. Written only by PostgresLockoutStore.
 */
@Entity('login_failures')
@Index('login_failures_window_started_at_idx', ['windowStartedAt'])
export class LoginFailure {
  @PrimaryColumn({ name: 'email_hash', type: 'char', length: 64, primaryKeyConstraintName: 'PK_login_failures' })
  emailHash!: string;

  /** Failures plus reservations not yet settled: refused at the threshold, so the budget holds under concurrency. */
  @Column({ name: 'attempt_count', type: 'integer', default: 0 })
  attemptCount!: number;

  @Column({ name: 'failure_count', type: 'integer' })
  failureCount!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
