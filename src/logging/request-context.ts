import { AsyncLocalStorage } from 'node:async_hooks';

/** The request a piece of work belongs to, so every log line it writes carries the request id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** pino's mixin: adds the current request's id to any log line written while serving it. */
export function requestIdMixin(): { request_id?: string } {
  const store = requestContext.getStore();
  return store ? { request_id: store.requestId } : {};
}

/** The same, naming the logger `app` for lines that name none (a call's own `logger` field wins). */
export function appLoggerMixin(): { logger: string; request_id?: string } {
  return { logger: 'app', ...requestIdMixin() };
}
