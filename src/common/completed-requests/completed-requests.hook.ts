import { FastifyInstance } from 'fastify';
import { authenticatedUserId, NO_HANDLER } from '../handler-context/handler-context';
import { CompletedRequests } from './completed-requests';

/**
 * Records every response in Fastify's onResponse hook: it runs after the response is sent, for 404s,
 * body-parser errors and guard refusals too, which never reach an interceptor. What is held is handed
 * over when Fastify closes (graceful shutdown, before the log files close) and when the process exits.
 */
export function registerCompletedRequests(fastify: FastifyInstance, completed: CompletedRequests): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const query = request.url.indexOf('?');
    completed.add({
      requestId: request.id,
      method: request.method,
      path: query === -1 ? request.url : request.url.slice(0, query),
      route: request.routeOptions.url,
      handler: request.handlerContext?.handler ?? NO_HANDLER,
      // The interceptor's context when a handler ran; else passport's user when a later guard refused
      // (roles: 403), so that the line still names the caller.
      userId: request.handlerContext?.userId ?? authenticatedUserId(request),
      status: reply.statusCode,
      elapsedMs: reply.elapsedTime,
      completedAt: Date.now(),
    });
    done();
  });
  const flushAtExit = (): void => completed.flush();
  // Before standard output's own exit flush (registered when the log streams opened), so the last lines reach it.
  process.prependOnceListener('exit', flushAtExit);
  fastify.addHook('onClose', (_instance, done) => {
    process.removeListener('exit', flushAtExit);
    completed.flush();
    done();
  });
}
