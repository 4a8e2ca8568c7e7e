import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../../security/security-logger';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';
import { RouteMetadata } from '../../common/decorators/route-metadata';
import { InvalidClaimsError, RevokedTokenError } from '../strategies/jwt.strategy';
import { UnauthorizedProblem } from './unauthorized.exception';

/** jsonwebtoken's and passport-jwt's own verdicts on a token, as opposed to failures of ours. */
function isTokenVerdict(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    error instanceof RevokedTokenError ||
    error instanceof InvalidClaimsError ||
    name === 'JsonWebTokenError' ||
    name === 'TokenExpiredError' ||
    name === 'NotBeforeError' ||
    /No auth token/i.test((error as { message?: string } | undefined)?.message ?? '')
  );
}

/** Why a presented token was refused, for the security log and metrics. */
export function rejectionReason(error: unknown): string {
  if (error instanceof RevokedTokenError) return 'revoked';
  if (error instanceof InvalidClaimsError) return 'bad_claims';
  const name = (error as { name?: string })?.name;
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'TokenExpiredError') return 'expired';
  if (/No auth token/i.test(message)) return 'missing';
  if (/invalid signature/i.test(message)) return 'bad_signature';
  if (/algorithm/i.test(message)) return 'bad_algorithm';
  if (/audience|issuer/i.test(message)) return 'bad_claims';
  return 'malformed';
}

/** Every route requires a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly isPublic: RouteMetadata<boolean>;

  constructor(
    reflector: Reflector,
    private readonly security: SecurityLogger,
    private readonly metrics: MetricsService,
  ) {
    super();
    this.isPublic = new RouteMetadata(reflector, IS_PUBLIC);
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> | Observable<boolean> {
    return this.isPublic.of(context) ? true : super.canActivate(context);
  }

  override handleRequest<T = AuthenticatedUser>(
    error: unknown,
    user: T | false,
    info: unknown,
    context: ExecutionContext,
  ): T {
    if (user && !error) return user;
    // A database that cannot answer the token check is an outage (503), not a bad token (401); so is one
    // that cannot give the signing keys (passport-jwt hands the key lookup's failure over as info).
    if (error && !isTokenVerdict(error)) throw error;
    if (!error && info instanceof Error && !isTokenVerdict(info)) throw info;
    const reason = rejectionReason(error ?? info);
    if (reason !== 'missing') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      this.security.warn('token_rejected', { reason, ip_address: request.ip, route: request.routeOptions.url });
      this.metrics.tokenRejected(reason);
    }
    throw new UnauthorizedProblem();
  }
}
