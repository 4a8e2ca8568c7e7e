import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A TOTP time step already accepted for a user: the primary key makes a second use fail on any
 * instance. Rows go once their code can no longer be valid (the retention job).
 */
@Entity('used_totp_steps')
@Index('used_totp_steps_expires_at_idx', ['expiresAt'])
export class UsedTotpStep {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_used_totp_steps' })
  userId!: string;

  @PrimaryColumn({ name: 'time_step', type: 'bigint', primaryKeyConstraintName: 'PK_used_totp_steps' })
  timeStep!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_used_totp_steps_user_id' })
  user?: unknown;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
