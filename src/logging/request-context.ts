import { AsyncLocalStorage } from 'node:async_hooks';

/** The calling client as the request names it; read lazily, since most requests never need it. */
export interface RequestClient {
  ipAddress?: string;
  userAgent?: string;
}

/**
 * The request a piece of work belongs to, so every log line it writes carries the request id, and
 * an audit row written while serving it names the request and its client.
 */
export interface RequestContext {
  /** The id the response's X-Request-Id carries and every log line names: the client's, when it chose one. */
  requestId: string;
  /**
   * The service's own id of the request, unique: requestId when the service minted it, a UUID of its
   * own when the client chose the X-Request-Id (clients may reuse or copy ids). Audit rows name this one.
   */
  serviceRequestId: string;
  /** The X-Request-Id the client chose, when it did; audit rows keep it apart as details.clientRequestId. */
  clientRequestId?: string;
  client?: () => RequestClient;
  /** Set by the JWT strategy for an impersonation token: audit rows then name the administrator as actor. */
  impersonation?: { userId: string; adminId: string };
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** pino's mixin: adds the current request's id to any log line written while serving it. */
export function requestIdMixin(): { request_id?: string } {
  const store = requestContext.getStore();
  return store ? { request_id: store.requestId } : {};
}

/** The same, naming the logger `app` for lines that name none (a call's own `logger` field wins). */
export function appLoggerMixin(): { logger: string; request_id?: string } {
  return { logger: 'app', ...requestIdMixin() };
}
