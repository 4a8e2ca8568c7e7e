import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const SIGNING_KEY_STATES = ['next', 'signing', 'retired', 'revoked'] as const;
export type SigningKeyState = (typeof SIGNING_KEY_STATES)[number];

/** A public JWK as published: EC (crv, x, y) or RSA (n, e), never a private member. */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/**
 * One key pair the service signs access tokens with (ALGORITHM ES256 or RS256). `next` is published before
 * it signs, `signing` signs, `retired` stays published until its last token expired, `revoked` is gone at
 * once. The private half is stored only sealed under SECRET_KEY (SecretCipher, the kid as additional data).
 */
@Entity('signing_keys')
@Check('signing_keys_state_check', `"state" IN ('next', 'signing', 'retired', 'revoked')`)
@Check('signing_keys_algorithm_check', `"algorithm" IN ('ES256', 'RS256')`)
export class SigningKey {
  /** The RFC 7638 thumbprint of the public key, base64url: the `kid` of its tokens and its JWK. */
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_signing_keys_kid' })
  kid!: string;

  @Column({ type: 'varchar', length: 8 })
  algorithm!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: PublicJwk;

  /** AES-256-GCM of the PKCS#8 DER private key: 12-byte IV, 16-byte tag, body. */
  @Column({ name: 'private_key_ciphertext', type: 'bytea' })
  privateKeyCiphertext!: Buffer;

  @Column({ type: 'varchar', length: 8 })
  state!: SigningKeyState;

  /** When it starts (or started) signing: every instance switches at this instant, by its clock. */
  @Column({ name: 'signs_from', type: 'timestamptz' })
  signsFrom!: Date;

  /** When it stopped signing (retired) or was revoked; its tokens live ACCESS_TOKEN_EXPIRE_MINUTES more. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** From the service's Clock: how long a next key has been published is judged by it. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
