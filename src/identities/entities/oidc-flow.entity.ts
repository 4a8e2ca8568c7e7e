import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export const OIDC_FLOW_PURPOSES = ['sign-in', 'link', 'reauth'] as const;
export type OidcFlowPurpose = (typeof OIDC_FLOW_PURPOSES)[number];

/**
 * A provider round trip in progress, found by its `state` and deleted by its first use. It is bound to
 * the browser that started it by the `oidc_flow` cookie, whose SHA-256 is kept here.
 */
@Entity('oidc_flows')
@Check('oidc_flows_purpose_check', `"purpose" IN ('sign-in', 'link', 'reauth')`)
@Index('oidc_flows_expires_at_idx', ['expiresAt'])
export class OidcFlow {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_oidc_flows_state' })
  state!: string;

  /** SHA-256 (hex) of the `oidc_flow` cookie's value. */
  @Column({ name: 'browser_binding', type: 'varchar', length: 64 })
  browserBinding!: string;

  @Column({ type: 'varchar', length: 40 })
  provider!: string;

  @Column({ type: 'varchar', length: 64 })
  nonce!: string;

  @Column({ name: 'code_verifier', type: 'varchar', length: 128 })
  codeVerifier!: string;

  /** Where the callback redirects, already resolved and checked. */
  @Column({ name: 'return_to', type: 'varchar', length: 2048 })
  returnTo!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: OidcFlowPurpose;

  /** For a link or a reauthentication: the user and session that asked. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_oidc_flows_user_id' })
  user?: unknown;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
