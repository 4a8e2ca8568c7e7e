import { FastifyRequest } from 'fastify';
import { ExtractJwt } from 'passport-jwt';
import { AuthCookies } from '../auth-cookies';

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * The access token a request presents: `Authorization: Bearer`, else the session cookie. The header wins:
 * the CSRF check exempts bearer requests, so the cookie must not be what authenticates them.
 */
export function presentedAccessToken(request: FastifyRequest, cookies: AuthCookies): string | undefined {
  // passport-jwt reads a Node request; Fastify's request carries the same headers object.
  return bearer(request as unknown as Parameters<typeof bearer>[0]) ?? cookies.sessionToken(request);
}
