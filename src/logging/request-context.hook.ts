import { randomUUID } from 'node:crypto';
import { FastifyInstance } from 'fastify';
import { requestIdChosenByClient } from '../common/request-id';
import { clientInfo } from './client-info';
import { requestContext } from './request-context';

/**
 * Enters the request's context (its id for every log line, its client for an audit row) and echoes
 * the id as X-Request-Id. A callback hook, not an async one: the context entered here must carry on
 * into the rest of the request's work, which an async hook's own promise would keep to itself.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // request.ip walks X-Forwarded-For under TRUST_PROXY: computed only when an audit row asks.
    // A client-chosen X-Request-Id is echoed and logged, but audit rows get an id of the service's own
    // (clients' ids may collide) and keep the client's apart.
    const clientRequestId = requestIdChosenByClient(request.raw) ? request.id : undefined;
    requestContext.enterWith({
      requestId: request.id,
      serviceRequestId: clientRequestId ? randomUUID() : request.id,
      clientRequestId,
      client: () => clientInfo(request),
    });
    // Responses hold personal data and tokens: no cache may keep them.
    void reply.headers({ 'x-request-id': request.id, 'cache-control': 'no-store' });
    done();
  });
}
