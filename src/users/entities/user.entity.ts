import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { UserRole } from '../../common/user-role';

export { USER_ROLES, UserRole } from '../../common/user-role';

@Entity('users')
@Check('users_role_check', `"role" IN ('user', 'admin')`)
@Check('users_passkey_count_check', `"passkey_count" >= 0`)
// A ban's end needs its reason: no reason, no ban.
@Check('users_ban_check', `"banned_until" IS NULL OR "ban_reason" IS NOT NULL`)
// A functional unique index on lower(email), created by the migration; TypeORM must leave it alone.
@Index('users_email_lower_key', { synchronize: false })
// The admin listing orders by creation time.
@Index('users_created_at_idx', ['createdAt'])
export class User {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_users_id' })
  id!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: UserRole;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  /** TOTP is enabled (kept by mfa/ through UsersService, in the transaction that changes the factor). */
  @Column({ name: 'mfa_enabled', type: 'boolean', default: false })
  mfaEnabled!: boolean;

  /** The number of registered passkeys (kept by passkeys/ through UsersService, likewise). */
  @Column({ name: 'passkey_count', type: 'integer', default: 0 })
  passkeyCount!: number;

  /**
   * An administrator's ban (AccountStanding reads it): in force while `banReason` is set and `bannedUntil`
   * is null (until lifted) or ahead; a ban whose end has passed lifts itself.
   */
  @Column({ name: 'banned_until', type: 'timestamptz', nullable: true })
  bannedUntil!: Date | null;

  @Column({ name: 'ban_reason', type: 'varchar', length: 500, nullable: true })
  banReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
