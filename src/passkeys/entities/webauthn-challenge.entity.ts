import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const CHALLENGE_PURPOSES = ['registration', 'authentication'] as const;
export type ChallengePurpose = (typeof CHALLENGE_PURPOSES)[number];

/**
 * A challenge handed out with ceremony options, deleted by its first use. Registration challenges are
 * bound to the user who asked; authentication ones to the account named by email, if any.
 */
@Entity('webauthn_challenges')
@Check('webauthn_challenges_purpose_check', `"purpose" IN ('registration', 'authentication')`)
@Index('webauthn_challenges_challenge_key', ['challenge'], { unique: true })
@Index('webauthn_challenges_expires_at_idx', ['expiresAt'])
export class WebauthnChallenge {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webauthn_challenges_id' })
  id!: string;

  /** base64url of 32 random bytes. */
  @Column({ type: 'varchar', length: 64 })
  challenge!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: ChallengePurpose;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_webauthn_challenges_user_id' })
  user?: unknown;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
