import { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem-details/problem.exception';
import { replyWithProblem } from '../common/problem-details/problem-reply';

const STATE_CHANGING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export interface CsrfOptions {
  /** CORS_ORIGINS plus the service's own origin (APP_URL). */
  trustedOrigins: string[];
  /** The session and refresh cookie names in force. */
  cookieNames: string[];
}

function requestOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin.length > 0) return origin;
  const referer = request.headers.referer;
  if (typeof referer !== 'string' || referer.length === 0) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * Cross-site request forgery: a state-changing request that carries our cookies and no bearer token,
 * sent from a foreign Origin (or Referer), is refused before anything runs. Requests without either
 * header come from non-browser clients, since browsers send Origin on every cross-site POST.
 */
export function registerCsrfOriginCheck(fastify: FastifyInstance, options: CsrfOptions): void {
  const trusted = new Set(options.trustedOrigins);
  fastify.addHook('onRequest', async (request, reply) => {
    if (!STATE_CHANGING.has(request.method)) return;
    if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return;
    const cookies = request.cookies ?? {};
    if (!options.cookieNames.some((name) => cookies[name])) return;
    const origin = requestOrigin(request);
    if (origin === undefined || trusted.has(origin)) return;
    // Same-origin: a page served by this service (the docs) calling it; a browser sets Host itself.
    if (origin === `${request.protocol}://${request.host}`) return;
    replyWithProblem(
      new ProblemException(403, 'Cross-site request refused: this Origin may not use the session cookies'),
      request,
      reply,
    );
    return reply;
  });
}
