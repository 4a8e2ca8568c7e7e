import { FastifyInstance } from 'fastify';
import { ShutdownState } from './shutdown-state';

/**
 * Once shutdown begins every request is still served, but its answer says `Connection: close`: a
 * keep-alive client or proxy then opens its next connection elsewhere instead of reusing one that
 * this instance is about to close (the race that ends in a reset or a 503). Decided when the answer
 * leaves (onSend), not when the request arrived: a request in flight at the signal would otherwise
 * leave its connection open and idle after the server's one sweep of idle connections, and the
 * server's close would wait for it until the keep-alive timeout (72 s), past SHUTDOWN_TIMEOUT_MS.
 */
export function registerCloseConnectionsOnShutdown(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (state.shuttingDown && request.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
    done(null, payload);
  });
}
