import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Echoes a well-formed client X-Request-Id, else mints a UUID; pino-http reuses req.id. */
export function requestIdFor(req: IncomingMessage): string {
  const offered = req.headers['x-request-id'];
  const id = typeof offered === 'string' && CLIENT_ID.test(offered) ? offered : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
