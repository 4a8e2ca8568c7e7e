import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import * as jwt from 'jsonwebtoken';
import { Pool } from 'pg';
import { ContenderOptions, runContenderProcess } from './contender-process';
import { AccessClaims, JWT_OPTIONS, ME_SQL, meBody } from './me-query';

/**
 * The floor for GET /user/me: bare Fastify and pg doing exactly its work (verify an HS256 JWT, one
 * query joining user and session, a JSON reply), with none of the service's framework.
 */
export async function startBaseline(options: ContenderOptions): Promise<() => Promise<void>> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  // A KeyObject, as the service uses: given a string, jsonwebtoken re-parses it on every call.
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  const app = Fastify({ logger: false });
  app.get('/user/me', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    let claims: AccessClaims;
    try {
      claims = jwt.verify(token ?? '', key, {
        algorithms: ['HS256'],
        ...JWT_OPTIONS,
      }) as AccessClaims;
    } catch {
      return reply.status(401).send({ status: 401 });
    }
    const { rows } = await pool.query(ME_SQL, [claims.sub, claims.sid, claims.ver]);
    if (rows.length === 0) return reply.status(401).send({ status: 401 });
    return meBody(rows[0] as Record<string, unknown>);
  });
  await app.listen({ port: options.port, host: '127.0.0.1' });
  return async () => {
    await app.close();
    await pool.end();
  };
}

/** Run as its own process by run.ts. */
if (require.main === module) runContenderProcess(startBaseline);
