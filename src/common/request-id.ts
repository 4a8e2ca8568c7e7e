import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The requests whose X-Request-Id was the client's choice, echoed as their id. */
const chosenByClient = new WeakSet<IncomingMessage>();

/** Echoes a well-formed client X-Request-Id, else mints a UUID; pino-http reuses req.id. */
export function requestIdFor(req: IncomingMessage): string {
  const offered = req.headers['x-request-id'];
  const chosen = typeof offered === 'string' && CLIENT_ID.test(offered);
  const id = chosen ? offered : randomUUID();
  if (chosen) chosenByClient.add(req);
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** True when the request's id is the client's own X-Request-Id (any client may choose any id). */
export function requestIdChosenByClient(req: IncomingMessage): boolean {
  return chosenByClient.has(req);
}
