import { AsyncLocalStorage } from 'node:async_hooks';

/** The request a piece of work belongs to, so every log line it writes carries the request id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** pino's mixin: adds the current request's id to any log line written while serving it. */
export function requestIdMixin(): { requestId?: string } {
  const store = requestContext.getStore();
  return store ? { requestId: store.requestId } : {};
}
