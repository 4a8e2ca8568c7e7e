/** Every action the audit trail records (API.md, "Audit trail and activity"). */
export const AUDIT_ACTIONS = [
  'user.registered',
  'login.succeeded',
  'login.failed',
  'mfa.succeeded',
  'mfa.failed',
  'passkey.signed_in',
  'refresh.reuse_detected',
  'logout',
  'logout_all',
  'session.revoked',
  'password.changed',
  'password.reset',
  'email.verified',
  'mfa.enabled',
  'mfa.disabled',
  'recovery_codes.regenerated',
  'passkey.added',
  'passkey.removed',
  'account.deleted',
  'account.locked',
  'admin.user_updated',
  'admin.user_deleted',
  'admin.mfa_reset',
  'reauth.succeeded',
  'reauth.failed',
  'account.secured',
  'admin.user_banned',
  'admin.user_unbanned',
  'admin.impersonation_started',
  'admin.impersonation_ended',
  'identity.linked',
  'identity.unlinked',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
