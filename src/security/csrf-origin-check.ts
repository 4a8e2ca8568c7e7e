import { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem-details/problem.exception';
import { replyWithProblem } from '../common/problem-details/problem-reply';
import './sets-session-cookies.decorator';

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
 * sent from a foreign Origin (or Referer), is refused before anything runs; so is any request from a
 * foreign origin to a route marked @SetsSessionCookies() (login CSRF). Requests without either header
 * come from non-browser clients, since browsers send Origin on every cross-site POST.
 */
export function registerCsrfOriginCheck(fastify: FastifyInstance, options: CsrfOptions): void {
  const trusted = new Set(options.trustedOrigins);
  // A callback hook: reads and most writes pass straight through without a promise per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isCrossSiteCookieRequest(request, options.cookieNames, trusted)) return done();
    replyWithProblem(
      new ProblemException(403, 'Cross-site request refused: this Origin may not use or set the session cookies'),
      request,
      reply,
    );
  });
}

function isCrossSiteCookieRequest(request: FastifyRequest, cookieNames: string[], trusted: Set<string>): boolean {
  if (!STATE_CHANGING.has(request.method)) return false;
  if (request.routeOptions.config?.setsSessionCookies !== true) {
    if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return false;
    const cookies = request.cookies ?? {};
    if (!cookieNames.some((name) => cookies[name])) return false;
  }
  const origin = requestOrigin(request);
  if (origin === undefined || trusted.has(origin)) return false;
  // Same-origin: a page served by this service (the docs) calling it; a browser sets Host itself.
  return origin !== `${request.protocol}://${request.host}`;
}
