import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** One login: a refresh-token family. Revoking it ends its access and refresh tokens at once. */
@Entity('sessions')
@Index('sessions_user_id_idx', ['userId'])
@Index('sessions_impersonator_id_idx', ['impersonatorId'])
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sessions_id' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  // The owner is named, not imported: users/ sits above this module and imports it.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_sessions_user_id' })
  user?: unknown;

  /**
   * The administrator acting as the user in an impersonation session (its access token carries
   * `act.sub`); null for the user's own sessions. The administrator's deletion ends the session.
   */
  @Column({ name: 'impersonator_id', type: 'uuid', nullable: true })
  impersonatorId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'impersonator_id', foreignKeyConstraintName: 'FK_sessions_impersonator_id' })
  impersonator?: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  /** When the user last proved who they are in this session (sign-in, reauthentication); a refresh keeps it. */
  @Column({ name: 'authenticated_at', type: 'timestamptz' })
  authenticatedAt!: Date;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  /** SESSION_MAX_DAYS after login, however often the session is refreshed. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;
}
