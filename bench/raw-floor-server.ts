import { createHmac, timingSafeEqual } from 'node:crypto';
import { ContenderOptions, runContenderProcess } from './contender-process';
import { serveMeFloor } from './me-floor';
import { AccessClaims, JWT_OPTIONS } from './me-query';

const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * The checks an HS256 access token must pass, with node:crypto alone: the signature over the first two
 * segments, the pinned algorithm, issuer, audience and expiry, and the claims GET /user/me needs.
 */
export function verifyHs256(token: string, key: Buffer, nowSeconds: number): AccessClaims | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const decodedHeader = header === HS256_HEADER ? { alg: 'HS256' } : parseSegment(header);
  if (decodedHeader?.alg !== 'HS256') return undefined;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = parseSegment(payload);
  if (!claims || claims.iss !== JWT_OPTIONS.issuer || claims.aud !== JWT_OPTIONS.audience) return undefined;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.ver !== 'number') {
    return undefined;
  }
  return { sub: claims.sub, sid: claims.sid, ver: claims.ver };
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The raw floor for GET /user/me: bare Fastify and pg, the HMAC checked with node:crypto directly (no
 * JWT library), the same join and body. Nothing a real service could leave out is left out of it.
 */
export function startRawFloor(options: ContenderOptions): Promise<() => Promise<void>> {
  const key = Buffer.from(options.secret, 'utf8');
  return serveMeFloor(options, (token) => verifyHs256(token, key, Math.floor(Date.now() / 1000)));
}

/** Run as its own process by run.ts. */
if (require.main === module) runContenderProcess(startRawFloor);
