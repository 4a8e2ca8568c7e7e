/**
 * GET /user/me's work for the two contenders beside the service (bare Fastify, bare Nest): the same
 * query joining user and session, and the same body.
 */
export const ME_SQL = `
  SELECT u.id, u.first_name, u.last_name, u.email, u.email_verified_at, u.role, u.is_active,
         u.created_at, u.updated_at, u.last_login_at, u.mfa_enabled, u.passkey_count
    FROM users u JOIN sessions s ON s.user_id = u.id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
     AND s.revoked_at IS NULL AND s.expires_at > now()`;

export interface AccessClaims {
  sub: string;
  sid: string;
  ver: number;
}

export const JWT_OPTIONS = { issuer: 'clickbit-api', audience: 'clickbit-api' } as const;

export function meBody(u: Record<string, unknown>): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.first_name,
    lastName: u.last_name,
    email: u.email,
    emailVerified: u.email_verified_at !== null,
    role: u.role,
    isActive: u.is_active,
    createdAt: (u.created_at as Date).toISOString(),
    updatedAt: (u.updated_at as Date).toISOString(),
    lastLoginAt: (u.last_login_at as Date | null)?.toISOString() ?? null,
    mfaEnabled: u.mfa_enabled,
    passkeyCount: u.passkey_count,
  };
}
