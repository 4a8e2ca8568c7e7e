import { User, UserRole } from './user.entity';

/** A users row as plain SQL returns it (snake_case columns). */
export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  password_hash: string;
  role: UserRole;
  is_active: boolean;
  email_verified_at: Date | null;
  token_version: number;
  last_login_at: Date | null;
  mfa_enabled: boolean;
  passkey_count: number;
  banned_until: Date | null;
  ban_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export function userFromRow(row: UserRow): User {
  return Object.assign(new User(), {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
    role: row.role,
    isActive: row.is_active,
    emailVerifiedAt: row.email_verified_at,
    tokenVersion: row.token_version,
    lastLoginAt: row.last_login_at,
    mfaEnabled: row.mfa_enabled,
    passkeyCount: row.passkey_count,
    bannedUntil: row.banned_until,
    banReason: row.ban_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
