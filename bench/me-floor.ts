import Fastify from 'fastify';
import { Pool } from 'pg';
import { ContenderOptions } from './contender-process';
import { AccessClaims, ME_SQL, meBody } from './me-query';

/** Checks an access token and answers its claims, or undefined for any refusal. */
export type ClaimsVerifier = (token: string) => AccessClaims | undefined;

/**
 * GET /user/me on bare Fastify and pg, with nothing but the given token check, one named prepared
 * statement joining user and session (as the service sends it) and the same JSON body.
 */
export async function serveMeFloor(options: ContenderOptions, verify: ClaimsVerifier): Promise<() => Promise<void>> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const app = Fastify({ logger: false });
  app.get('/user/me', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? verify(token) : undefined;
    if (!claims) return reply.status(401).send({ status: 401 });
    const { rows } = await pool.query({ name: 'me', text: ME_SQL, values: [claims.sub, claims.sid, claims.ver] });
    if (rows.length === 0) return reply.status(401).send({ status: 401 });
    return meBody(rows[0] as Record<string, unknown>);
  });
  await app.listen({ port: options.port, host: '127.0.0.1' });
  return async () => {
    await app.close();
    await pool.end();
  };
}
