import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** A user's account at an OpenID provider: the provider's issuer and `sub` name it, never its email. */
@Entity('external_identities')
@Index('external_identities_issuer_subject_key', ['issuer', 'subject'], { unique: true })
@Index('external_identities_user_id_idx', ['userId'])
export class ExternalIdentity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_external_identities_id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_external_identities_user_id' })
  user?: unknown;

  /** The OIDC_PROVIDERS id it came through. */
  @Column({ type: 'varchar', length: 40 })
  provider!: string;

  @Column({ type: 'varchar', length: 500 })
  issuer!: string;

  /** The provider's `sub`: stable and unique within its issuer. */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** The email the provider gave when the identity was linked or last used (shown, never matched on). */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
