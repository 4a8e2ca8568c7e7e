import { AuditDetailValue } from './entities/audit-event.entity';

/**
 * The only keys a row's `details` may carry. A key is added here on purpose, in review, once it is
 * known never to hold a secret: a password, a token, a one-time code, a hash, a cookie. Any other
 * key a caller passes is dropped before the insert (details are context, never evidence of a secret).
 */
export const AUDIT_DETAIL_KEYS = [
  // login.failed / account.locked: the address tried (already in the security log), why it failed
  'email',
  'reason',
  'failures',
  'lockedForSeconds',
  // sessions
  'sessionId',
  // admin.user_updated: the new values
  'role',
  'isActive',
  // second factors and passkeys (their ids and kinds, never a code or a key)
  'method',
  'credentialId',
  'passkeyId',
  'passkeyName',
  'remainingRecoveryCodes',
  // reauth.succeeded / reauth.failed: the route that checked the proof
  'route',
  // any row written while serving a request whose X-Request-Id the client chose
  'clientRequestId',
  // admin.mfa_reset: whether a TOTP factor was there to remove
  'hadTotp',
  'passkeysRemoved',
  // account.secured: the notified event whose link was followed, and whether what it added was removed
  'event',
  'removed',
  // admin.user_banned: the ban's end (null: until lifted); its reason goes in `reason`
  'until',
  // any row written through an impersonation token (its actor is the administrator)
  'impersonation',
  // sign-in through an external OpenID provider: the OIDC_PROVIDERS id; identity.linked / unlinked: its id
  'provider',
  'identityId',
] as const;

export type AuditDetailKey = (typeof AUDIT_DETAIL_KEYS)[number];

export type AuditDetails = Partial<Record<AuditDetailKey, AuditDetailValue>>;

const ALLOWED = new Set<string>(AUDIT_DETAIL_KEYS);
// An administrator's reason for a ban or an impersonation is up to 500 characters; an email at most 320.
const MAX_TEXT = 500;

/**
 * Keeps the whitelisted keys with scalar values, text cut to a bounded length. The types already refuse
 * another key; this holds at run time too, for details spread from a value typed more loosely.
 */
export function cleanDetails(details: AuditDetails | undefined): Record<string, AuditDetailValue> {
  const clean: Record<string, AuditDetailValue> = {};
  if (!details) return clean;
  for (const [key, value] of Object.entries(details)) {
    if (!ALLOWED.has(key) || value === undefined) continue;
    if (typeof value === 'string') clean[key] = value.slice(0, MAX_TEXT);
    else if (value === null || typeof value === 'number' || typeof value === 'boolean') clean[key] = value;
  }
  return clean;
}
