import fastifyCookie from '@fastify/cookie';
import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuthCookies } from './auth/auth-cookies';
import { registerShapedBodyParsers } from './common/body-shape/body-parsers';
import { registerBodyShapeCheck } from './common/body-shape/body-shape.hook';
import { registerJsonBodyOnlyCheck } from './common/body-shape/json-body-only';
import { CompletedRequests } from './common/completed-requests/completed-requests';
import { registerCompletedRequests } from './common/completed-requests/completed-requests.hook';
import { useLeanAsyncResourceBind } from './common/lean-async-resource-bind';
import { registerRequestInputCheck } from './common/validation/request-input.hook';
import { clientErrorHandler, frameworkErrorHandler } from './common/problem-details/framework-errors';
import { requestIdFor } from './common/request-id';
import { AppConfig } from './config/app.config';
import { LoadedConfig } from './config/config.module';
import { Settings } from './config/settings';
import { DatabaseServer } from './database/database-server';
import { setUpDocs } from './docs/docs.setup';
import { registerCloseConnectionsOnShutdown } from './lifecycle/close-connections-on-shutdown';
import { ShutdownState } from './lifecycle/shutdown-state';
import { NestLogger } from './logging/nest-logger';
import { registerRequestContext } from './logging/request-context.hook';
import { RequestLines } from './logging/request-lines';
import { MetricsService } from './metrics/metrics.service';
import { apiSecurityHeaders, registerSecurityHeaders } from './security/security-headers';
import { registerCsrfOriginCheck } from './security/csrf-origin-check';

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    frameworkErrors: frameworkErrorHandler(apiSecurityHeaders(config.isProduction)),
    clientErrorHandler: clientErrorHandler(apiSecurityHeaders(config.isProduction)),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
    // A request that reaches a stopping instance is served (with Connection: close), never refused.
    return503OnClosing: false,
    logger: false,
  });
}

/** Nest's application options, shared by createApp and the tests' @nestjs/testing apps. */
export const NEST_APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, abortOnError: false };

export interface AppSetupOptions {
  /** Adds Fastify hooks before ready(), after which none can be added (the e2e tests' traffic check). */
  registerHooks?: (fastify: FastifyInstance) => void;
}

/** What the steps of the request pipeline read. */
interface PipelineContext {
  app: NestFastifyApplication;
  fastify: FastifyInstance;
  config: AppConfig;
}

/** One named step of the request pipeline: it registers Fastify parsers, hooks or plugins. */
type PipelineStep = (context: PipelineContext) => void | Promise<void>;

/** 1. Fastify parses: bodies are JSON or forms only, anything else is 415, then their shape is checked. */
function parseJsonOrForms({ app, fastify, config }: PipelineContext): void {
  // Fastify would otherwise accept text/plain.
  fastify.removeContentTypeParser('text/plain');
  registerShapedBodyParsers(app, config.bodyLimitBytes);
  // Its hook is route-level, and those run after every root hook: its 415 carries the request id and headers.
  registerJsonBodyOnlyCheck(fastify);
  registerBodyShapeCheck(fastify);
  registerRequestInputCheck(fastify);
}

/** 2. The request id (createFastifyAdapter's genReqId) enters the request context and the reply. */
function tagWithRequestId({ fastify }: PipelineContext): void {
  registerRequestContext(fastify);
}

/** 3. Once shutdown begins, every answer says Connection: close. */
function closeConnectionsWhenStopping({ app, fastify }: PipelineContext): void {
  registerCloseConnectionsOnShutdown(fastify, app.get(ShutdownState));
}

/** 4. Security headers on every answer. */
function addSecurityHeaders({ fastify, config }: PipelineContext): void {
  registerSecurityHeaders(fastify, config.isProduction);
}

/** 5. Cookies are parsed, and a cookie-authenticated write must come from a trusted origin. */
async function checkCookieOrigins({ app, fastify, config }: PipelineContext): Promise<void> {
  await app.register(fastifyCookie);
  const cookies = app.get(AuthCookies);
  registerCsrfOriginCheck(fastify, {
    trustedOrigins: [...config.corsOrigins, config.origin],
    cookieNames: [cookies.sessionName, cookies.refreshName],
  });
}

/** 6. CORS for the configured origins. */
function allowCorsOrigins({ app, config }: PipelineContext): void {
  // Without CORS_ORIGINS no other origin may call: no CORS at all, rather than a hook that spends a few
  // µs on every request (two route-option objects and a copy of its options) to conclude so.
  if (config.corsOrigins.length === 0) return;
  app.enableCors({
    origin: config.corsOrigins,
    credentials: config.corsAllowCredentials,
    // @fastify/cors allows only GET, HEAD and POST unless told: a front end must also PATCH and DELETE.
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    maxAge: 600,
  });
}

/** 8. On the response: the request line, then the HTTP metrics, both written in batches. */
function logAndCountResponses({ app, fastify }: PipelineContext): void {
  const lines = app.get(RequestLines);
  const metrics = app.get(MetricsService);
  const completed = new CompletedRequests([
    (batch) => lines.write(batch),
    (batch) => metrics.recordHttpRequests(batch),
  ]);
  metrics.readPendingRequestsFrom(completed);
  registerCompletedRequests(fastify, completed);
}

/**
 * The Fastify side of "How a request flows" (ARCHITECTURE.md), in its order; hooks of one kind run in the
 * order registered. Fastify runs the onRequest hooks (steps 2-6) before it reads a body, so a refusal there
 * parses nothing; step 1's parsers and checks run right before step 7. Step 7, guards → ValidationPipe →
 * controller → the problem-details filter, is Nest's: the global stack is the one list in app.module.ts.
 */
const REQUEST_PIPELINE: readonly PipelineStep[] = [
  parseJsonOrForms,
  tagWithRequestId,
  closeConnectionsWhenStopping,
  addSecurityHeaders,
  checkCookieOrigins,
  allowCorsOrigins,
  logAndCountResponses,
];

/** Everything main.ts and the e2e tests share: the request pipeline, docs, then init. */
export async function configureApp(
  app: NestFastifyApplication,
  settings: Settings,
  options: AppSetupOptions = {},
): Promise<NestFastifyApplication> {
  const config = settings.app;
  // Node 24's AsyncResource#bind, which Nest's interceptor chain calls per request, costs more than it must.
  useLeanAsyncResourceBind();
  app.useLogger(new NestLogger(app.get(Logger)));
  const fastify = app.getHttpAdapter().getInstance();
  for (const step of REQUEST_PIPELINE) await step({ app, fastify, config });
  setUpDocs(app, config);
  await app.init();
  options.registerHooks?.(fastify);
  await fastify.ready();
  return app;
}

/** Builds the Nest application on Fastify over the given database, configured and initialised. */
export async function createApp(
  { module, settings }: LoadedConfig,
  databaseServer: DatabaseServer,
  options: AppSetupOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(module, databaseServer),
    createFastifyAdapter(settings.app),
    NEST_APP_OPTIONS,
  );
  return configureApp(app, settings, options);
}
