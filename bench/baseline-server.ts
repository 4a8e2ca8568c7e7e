import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import * as jwt from 'jsonwebtoken';
import { Pool } from 'pg';

/**
 * The floor for GET /user/me: bare Fastify and pg doing exactly its work (verify an HS256 JWT, one
 * query joining user and session, a JSON reply), with none of the service's framework.
 */
export async function startBaseline(options: {
  databaseUrl: string;
  secret: string;
  port: number;
}): Promise<() => Promise<void>> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  // A KeyObject, as the service uses: given a string, jsonwebtoken re-parses it on every call.
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  const app = Fastify({ logger: false });
  app.get('/user/me', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    let claims: { sub: string; sid: string; ver: number };
    try {
      claims = jwt.verify(token ?? '', key, {
        algorithms: ['HS256'],
        issuer: 'clickbit-api',
        audience: 'clickbit-api',
      }) as typeof claims;
    } catch {
      return reply.status(401).send({ status: 401 });
    }
    const { rows } = await pool.query(
      `SELECT u.id, u.first_name, u.last_name, u.email, u.email_verified_at, u.role, u.is_active,
              u.created_at, u.updated_at, u.last_login_at
         FROM users u JOIN sessions s ON s.user_id = u.id
        WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
          AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [claims.sub, claims.sid, claims.ver],
    );
    if (rows.length === 0) return reply.status(401).send({ status: 401 });
    const u = rows[0] as Record<string, unknown>;
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
    };
  });
  await app.listen({ port: options.port, host: '127.0.0.1' });
  return async () => {
    await app.close();
    await pool.end();
  };
}

/** Run as its own process by run.ts, so the load generator never shares its event loop. */
if (require.main === module) {
  const port = Number(process.env.BASELINE_PORT);
  startBaseline({ databaseUrl: process.env.DATABASE_URL as string, secret: process.env.SECRET_KEY as string, port })
    .then((stop) => {
      process.send?.('ready');
      process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
