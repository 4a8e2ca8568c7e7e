import { FastifyRequest } from 'fastify';

/** What HandlerContextInterceptor learnt about a request that reached a route handler. */
export interface HandlerContext {
  /** `Controller.method`, e.g. `MeController.me`: a bounded set, fit for a metric label. */
  handler: string;
  userId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    handlerContext?: HandlerContext;
  }
}

/** The handler label of a request that never reached one (404, a parser error, a guard's refusal). */
export const NO_HANDLER = 'none';

/** passport's `request.user`, as the JWT strategy fills it (`{ user: { id }, sessionId }`), read structurally. */
export function authenticatedUserId(request: FastifyRequest): string | null {
  const id = (request as FastifyRequest & { user?: { user?: { id?: unknown } } }).user?.user?.id;
  return typeof id === 'string' ? id : null;
}
