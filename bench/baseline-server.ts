import { createSecretKey } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { ContenderOptions, runContenderProcess } from './contender-process';
import { serveMeFloor } from './me-floor';
import { AccessClaims, JWT_OPTIONS } from './me-query';

/**
 * The floor for GET /user/me: bare Fastify and pg doing exactly its work (verify an HS256 JWT with
 * jsonwebtoken, one query joining user and session, a JSON reply), with none of the service's framework.
 */
export function startBaseline(options: ContenderOptions): Promise<() => Promise<void>> {
  // A KeyObject, as the service uses: given a string, jsonwebtoken re-parses it on every call.
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  return serveMeFloor(options, (token) => {
    try {
      return jwt.verify(token, key, { algorithms: ['HS256'], ...JWT_OPTIONS }) as AccessClaims;
    } catch {
      return undefined;
    }
  });
}

/** Run as its own process by run.ts. */
if (require.main === module) runContenderProcess(startBaseline);
