import { FastifyInstance } from 'fastify';
import { ShutdownState } from './shutdown-state';

/**
 * Once shutdown begins every request is still served, but its answer says `Connection: close`: a
 * keep-alive client or proxy then opens its next connection elsewhere instead of reusing one that
 * this instance is about to close (the race that ends in a reset or a 503).
 */
export function registerCloseConnectionsOnShutdown(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (state.shuttingDown && request.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
    done();
  });
}
