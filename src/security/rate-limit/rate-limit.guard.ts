import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../security-logger.service';
import { tooManyRequests } from '../too-many-requests';
import { closestToExhaustion, LimitStanding, rateLimitHeaders } from './rate-limit-headers';
import { AUTH_LIMIT } from './rate-limit.options';

/**
 * The global throttler guard with the contract's behaviour: one auth budget per IP over all
 * /user/auth routes, plain RateLimit-* headers for the limit closest to exhaustion, and a 429
 * problem with Retry-After that is also written to the security log.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly standings = new WeakMap<FastifyRequest, LimitStanding[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: RateLimitConfig,
    private readonly securityLog: SecurityLogger,
    private readonly metrics: MetricsService,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const closest = closestToExhaustion(this.standings.get(request) ?? []);
    this.standings.delete(request);
    if (closest) void context.switchToHttp().getResponse<FastifyReply>().headers(rateLimitHeaders(closest));
    return allowed;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !this.config.enabled || context.getType() !== 'http';
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    // The auth budget is shared by every /user/auth route, so its key leaves the handler out.
    if (name === AUTH_LIMIT) return `${name}:${tracker}`;
    return `${name}:${tracker}:${context.getClass().name}.${context.getHandler().name}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, getTracker, generateKey } = request;
    const name = request.throttler.name ?? 'default';
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const tracker = await getTracker(req, context);
    const record = await this.storageService.increment(
      generateKey(context, tracker, name),
      ttl,
      limit,
      blockDuration,
      name,
    );
    const standing: LimitStanding = {
      name,
      limit,
      remaining: Math.max(0, limit - record.totalHits),
      resetSeconds: record.isBlocked ? record.timeToBlockExpire : record.timeToExpire,
    };
    if (record.isBlocked) {
      this.metrics.rateLimited(name);
      this.securityLog.warn('rate_limited', {
        ip: req.ip,
        route: req.routeOptions.url,
        limit: name,
        requestId: req.id,
      });
      throw tooManyRequests(
        `Too many requests from this address; try again in ${standing.resetSeconds} seconds`,
        standing.resetSeconds,
        rateLimitHeaders(standing),
      );
    }
    const standings = this.standings.get(req) ?? [];
    standings.push(standing);
    this.standings.set(req, standings);
    return true;
  }
}
