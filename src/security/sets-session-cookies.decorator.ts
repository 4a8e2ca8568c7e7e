import { AddRouteConfig } from '../common/decorators/route-config.decorator';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Read by the CSRF origin check; set by @SetsSessionCookies(). */
    setsSessionCookies?: boolean;
  }
}

/**
 * Marks a route that signs a browser in (register, login, refresh, and any later sign-in route): the
 * CSRF origin check then applies whether or not a cookie came, so a foreign page cannot log a browser
 * into an attacker's account.
 */
export function SetsSessionCookies(): MethodDecorator {
  return AddRouteConfig({ setsSessionCookies: true });
}
