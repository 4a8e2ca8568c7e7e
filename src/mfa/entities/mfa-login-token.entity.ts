import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The proof that a password was right, waiting for the second factor: stored only as its SHA-256,
 * spent by a successful use, dead after MAX_WRONG_CODES wrong codes, when it expires, and when the
 * user's sessions all end.
 */
@Entity('mfa_login_tokens')
@Check('mfa_login_tokens_failed_attempts_check', `"failed_attempts" >= 0`)
@Index('mfa_login_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('mfa_login_tokens_user_id_idx', ['userId'])
@Index('mfa_login_tokens_expires_at_idx', ['expiresAt'])
export class MfaLoginToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_mfa_login_tokens_id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_mfa_login_tokens_user_id' })
  user?: unknown;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  /**
   * The user's token version when the password was verified: every event that ends all of the user's
   * sessions bumps it (a password change or reset, logout-all, deactivation, an admin MFA reset, the
   * seed's promotion), and a token whose version is no longer the user's is dead.
   */
  @Column({ name: 'token_version', type: 'integer' })
  tokenVersion!: number;

  @Column({ name: 'failed_attempts', type: 'smallint', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
