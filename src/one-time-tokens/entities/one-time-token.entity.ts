import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const ONE_TIME_TOKEN_PURPOSES = ['verify_email', 'reset_password', 'secure_account'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/**
 * A token mailed to a user (email verification, password reset, securing the account after a security
 * notification), stored only as its SHA-256 hash. Used and expired rows are deleted a day later by the
 * retention job.
 */
@Entity('one_time_tokens')
@Check('one_time_tokens_purpose_check', `"purpose" IN ('verify_email', 'reset_password', 'secure_account')`)
@Index('one_time_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('one_time_tokens_user_id_purpose_idx', ['userId', 'purpose'])
export class OneTimeToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_one_time_tokens_id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  // The owner is named, not imported: users/ sits above this module and imports it.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_one_time_tokens_user_id' })
  user?: unknown;

  @Column({ type: 'varchar', length: 16 })
  purpose!: OneTimeTokenPurpose;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** secure_account: the notified event (passkey_added, totp_enabled, …). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  event!: string | null;

  /** secure_account: which way in the event added (a passkey id, the TOTP factor's enabledAt), to undo. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  subject!: string | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
