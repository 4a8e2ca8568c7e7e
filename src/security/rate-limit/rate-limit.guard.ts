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
import { SecurityLogger } from '../security-logger';
import { tooManyRequests } from '../too-many-requests';
import { closestToExhaustion, LimitStanding, rateLimitHeaders } from './rate-limit-headers';

/**
 * The global throttler guard with the contract's behaviour: one auth budget per IP over all
 * /user/auth routes, plain RateLimit-* headers for the limit closest to exhaustion, and a 429
 * problem with Retry-After that is also written to the security log.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly counting = new WeakMap<FastifyRequest, Promise<LimitStanding>[]>();

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
    // Switched off (RATE_LIMIT_ENABLED=false): nothing to count, so none of the base guard's work.
    if (!this.config.enabled) return true;
    // The base guard picks the limits that apply to this route and starts counting each (handleRequest);
    // they are awaited together, so that with Redis their round trips overlap instead of adding up.
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const standings = await Promise.all(this.counting.get(request) ?? []);
    this.counting.delete(request);
    const exceeded = closestToExhaustion(standings.filter((standing) => standing.exceeded));
    if (exceeded) this.refuse(request, exceeded);
    const closest = closestToExhaustion(standings);
    if (closest) void context.switchToHttp().getResponse<FastifyReply>().headers(rateLimitHeaders(closest));
    return true;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  /**
   * One budget per client address for each limit, across every route it covers (the original's
   * IP-based limit; the throttler would otherwise keep a separate budget per handler).
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const req = request.context.switchToHttp().getRequest<FastifyRequest>();
    const counting = this.counting.get(req) ?? [];
    counting.push(this.count(req, request));
    this.counting.set(req, counting);
    return true;
  }

  private async count(req: FastifyRequest, request: ThrottlerRequest): Promise<LimitStanding> {
    const { context, limit, ttl, blockDuration, getTracker, generateKey } = request;
    const name = request.throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(req, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    return {
      name,
      limit,
      remaining: Math.max(0, limit - record.totalHits),
      resetSeconds: record.isBlocked ? record.timeToBlockExpire : record.timeToExpire,
      exceeded: record.isBlocked,
    };
  }

  private refuse(req: FastifyRequest, standing: LimitStanding): never {
    this.metrics.rateLimited(standing.name);
    this.securityLog.warn('rate_limited', {
      ip_address: req.ip,
      route: req.routeOptions.url,
      limit: standing.name,
      request_id: req.id,
    });
    throw tooManyRequests(
      `Too many requests from this address; try again in ${standing.resetSeconds} seconds`,
      standing.resetSeconds,
      rateLimitHeaders(standing),
    );
  }
}
