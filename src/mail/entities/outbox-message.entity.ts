import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One mail waiting to go out (or gone). Written in the same transaction as whatever the mail announces,
 * so a committed token always has its mail and a rolled-back one never does. Once sent, the bodies and
 * link are cleared: the table then holds no usable token.
 */
@Entity('mail_outbox')
@Index('mail_outbox_pending_idx', { synchronize: false })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_mail_outbox_id' })
  id!: string;

  /** What the mail is for (verify_email, reset_password, security_notification), reported in mail.log. */
  @Column({ type: 'varchar', length: 32 })
  purpose!: string;

  /** A security notification's event (passkey_added, …), reported in mail.log. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  event!: string | null;

  @Column({ type: 'varchar', length: 320 })
  recipient!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody!: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'text', nullable: true })
  link!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** A dispatcher's lease: while in the future, no other dispatcher takes the row. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Given up: the server refused this message outright several times (never for an unreachable server). */
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
