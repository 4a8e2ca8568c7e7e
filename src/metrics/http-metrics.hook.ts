import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { NO_HANDLER } from '../common/handler-context/handler-context';
import { UNMATCHED_ROUTE } from './metric-names';
import { MetricsService } from './metrics.service';

/**
 * Counts and times every response in Fastify's onResponse hook: it runs after the response is sent,
 * reads the route template Fastify already matched and the elapsed time it already measured, so the
 * request itself pays nothing but a Map lookup.
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // No HTTP server in a standalone context (the db command): nothing to measure.
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    // Route hooks are attached at Fastify's ready(), which configureApp awaits after app.init().
    const fastify = adapter.getInstance<FastifyInstance>();
    const metrics = this.metrics;
    fastify.addHook(
      'onResponse',
      (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
        const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
        const handler = request.handlerContext?.handler ?? NO_HANDLER;
        metrics.recordHttpRequest(request.method, route, handler, reply.statusCode, reply.elapsedTime / 1000);
        done();
      },
    );
  }
}
