import { ExecutionContext } from '@nestjs/common';
import { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { RateLimitConfig } from '../../config/rate-limit.config';

/** Every limited route: RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. */
export const DEFAULT_LIMIT = 'default';
/** /user/auth/*: RATE_LIMIT_AUTH_REQUESTS per RATE_LIMIT_AUTH_WINDOW, one budget per client IP. */
export const AUTH_LIMIT = 'auth';
/** Mail-sending routes: RATE_LIMIT_EMAIL_REQUESTS per RATE_LIMIT_EMAIL_WINDOW per address. */
export const EMAIL_LIMIT = 'email';

const AUTH_ROUTE = /^\/user\/auth(\/|$)/;

/** Decided by the route's path, so that a new /user/auth route is limited without a decorator. */
export function isAuthRoute(context: ExecutionContext): boolean {
  const route = context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url;
  return route !== undefined && AUTH_ROUTE.test(route);
}

/** ThrottlerModule's options: the two IP limits, counted in the given (Redis-or-memory) storage. */
export function rateLimitOptions(config: RateLimitConfig, storage: ThrottlerStorage): ThrottlerModuleOptions {
  return {
    storage,
    // RateLimitGuard writes the contract's RateLimit-* headers itself, without per-limit suffixes.
    setHeaders: false,
    throttlers: [
      { name: DEFAULT_LIMIT, limit: config.requests, ttl: config.window * 1000 },
      {
        name: AUTH_LIMIT,
        limit: config.authRequests,
        ttl: config.authWindow * 1000,
        skipIf: (context) => !isAuthRoute(context),
      },
    ],
  };
}
