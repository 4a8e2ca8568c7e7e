import { FastifyInstance } from 'fastify';
import { Logger } from 'pino';
import { RequestLogContext } from './logging.module';
import { redactUrl } from './redaction';

/**
 * One line per request, written when the response is sent: request id, method, URL, route template,
 * status, latency and the user when known. Built from a small object on the root logger: per-request
 * child loggers (pino-http's way) cost a fifth of a simple request's CPU time.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      const userAgent = request.headers['user-agent'];
      logger[level](
        {
          requestId: request.id,
          req: { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip, userAgent },
          route: request.routeOptions.url,
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
          userId: (request.raw as RequestLogContext).userId,
        },
        'request completed',
      );
    }
    done();
  });
}
