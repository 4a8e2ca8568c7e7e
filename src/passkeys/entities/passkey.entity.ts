import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** PostgreSQL bigint comes back as text; a signature counter is a 32-bit unsigned number. */
const COUNTER = { to: (value: number): number => value, from: (value: string | number): number => Number(value) };

/** A WebAuthn credential registered by a user: its public key, and what sign-in learned about it. */
@Entity('passkeys')
@Index('passkeys_credential_id_key', ['credentialId'], { unique: true })
@Index('passkeys_user_id_idx', ['userId'])
export class Passkey {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_passkeys_id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  // The owner is named, not imported, as for the other tables that hang off users.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_passkeys_user_id' })
  user?: unknown;

  /** The credential id, base64url, as the browser sends it (at most 1023 bytes, so 1364 characters). */
  @Column({ name: 'credential_id', type: 'varchar', length: 1400 })
  credentialId!: string;

  /** The COSE-encoded public key. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  @Column({ name: 'sign_count', type: 'bigint', default: 0, transformer: COUNTER })
  signCount!: number;

  @Column({ type: 'varchar', length: 16, array: true, default: () => "'{}'" })
  transports!: string[];

  /** Synced to other devices (a multi-device passkey). */
  @Column({ name: 'backed_up', type: 'boolean', default: false })
  backedUp!: boolean;

  @Column({ name: 'device_type', type: 'varchar', length: 16 })
  deviceType!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
