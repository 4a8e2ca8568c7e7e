import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

/**
 * A user's TOTP factor, at most one: pending (enabledAt null) from setup until the first code proves
 * the authenticator has it. The secret is stored only encrypted (see SecretCipher in common/secrets).
 */
@Entity('totp_factors')
export class TotpFactor {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_totp_factors_user_id' })
  userId!: string;

  // The owner is named, not imported: the users table belongs to users/.
  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_totp_factors_user_id' })
  user?: unknown;

  /** AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext of the Base32 secret. */
  @Column({ name: 'secret_ciphertext', type: 'bytea' })
  secretCiphertext!: Buffer;

  /** Which derived key encrypted it, so that a key rotation can read old rows. */
  @Column({ name: 'key_version', type: 'smallint' })
  keyVersion!: number;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
