import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ProblemException } from '../common/problem-details/problem.exception';
import { AppConfig } from '../config/app.config';

/** The OpenAPI security scheme of METRICS_TOKEN. */
export const METRICS_TOKEN_SCHEME = 'metricsToken';

/** Hashing first gives both sides one length, so the comparison's time says nothing about the token. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** With METRICS_TOKEN set, the route answers only `Authorization: Bearer <METRICS_TOKEN>`; else it is open. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    this.expected = config.metricsToken ? digest(config.metricsToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    throw new ProblemException(
      401,
      'This route requires the metrics token (METRICS_TOKEN) as a bearer token',
      undefined,
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
}

/** Closes a route behind METRICS_TOKEN and documents it. */
export function RequiresMetricsToken(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(MetricsTokenGuard), ApiBearerAuth(METRICS_TOKEN_SCHEME), ApiProblems(401));
}
