import { FastifyInstance } from 'fastify';
import { NO_HANDLER } from '../common/handler-context/handler-context';
import { UNMATCHED_ROUTE } from './metric-names';
import { MetricsService } from './metrics.service';

/**
 * Counts and times every response in Fastify's onResponse hook: it runs after the response is sent,
 * reads the route template Fastify already matched and the elapsed time it already measured, so the
 * request itself pays nothing but a Map lookup.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const handler = request.handlerContext?.handler ?? NO_HANDLER;
    metrics.recordHttpRequest(request.method, route, handler, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
