/** The claims of an access token beside the registered ones (iss, aud, iat, exp, jti). */
export interface AccessClaims {
  sub: string;
  sid: string;
  ver: number;
  /** On an impersonation token only (RFC 8693's actor claim): the administrator acting as `sub`. */
  act?: { sub: string };
}

/** What a verified token must carry: ours plus the timestamps that bound its life. */
export interface VerifiedAccessClaims extends AccessClaims {
  iat: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** users.token_version is a PostgreSQL integer: a larger value would fail the query (a 500), not match. */
export const MAX_TOKEN_VERSION = 2_147_483_647;

/** Clocks of several instances drift a little; more than this ahead means a token not issued by us. */
export const ISSUED_AT_SKEW_SECONDS = 60;

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Absent, or exactly `{ sub: <uuid> }`: an actor claim of any other shape is a token not issued by us. */
function isActor(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'sub' && isUuid((value as { sub: unknown }).sub);
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Every claim the service relies on, with its type and range: a signed token missing `exp` would never
 * expire, and a `ver` beyond the column's range would reach the database. Expiry itself is jsonwebtoken's.
 */
export function isAccessClaims(payload: unknown, nowSeconds: number): payload is VerifiedAccessClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  const { ver, iat, exp } = claims;
  return (
    isUuid(claims.sub) &&
    isUuid(claims.sid) &&
    isActor(claims.act) &&
    typeof ver === 'number' &&
    Number.isSafeInteger(ver) &&
    ver >= 0 &&
    ver <= MAX_TOKEN_VERSION &&
    isTimestamp(iat) &&
    isTimestamp(exp) &&
    exp > iat &&
    iat <= nowSeconds + ISSUED_AT_SKEW_SECONDS
  );
}
