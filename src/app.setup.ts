import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { AuthCookies } from './auth/auth-cookies';
import { registerShapedBodyParsers } from './common/body-shape/body-parsers';
import { registerBodyShapeCheck } from './common/body-shape/body-shape.hook';
import { registerJsonBodyOnlyCheck } from './common/body-shape/json-body-only';
import { clientErrorHandler, frameworkErrorHandler } from './common/problem-details/framework-errors';
import { requestIdChosenByClient, requestIdFor } from './common/request-id';
import { AppConfig } from './config/app.config';
import { LoadedConfig } from './config/config.module';
import { Settings } from './config/settings';
import { DatabaseServer } from './database/database-server';
import { setUpDocs } from './docs/docs.setup';
import { registerCloseConnectionsOnShutdown } from './lifecycle/close-connections-on-shutdown';
import { ShutdownState } from './lifecycle/shutdown-state';
import { REQUEST_LINE_LOGGER } from './logging/logging.module';
import { NestLogger } from './logging/nest-logger';
import { requestContext } from './logging/request-context';
import { registerRequestLog } from './logging/request-log.hook';
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

/** Everything main.ts and the e2e tests share: parsers, headers, CORS, errors, docs. */
export async function configureApp(
  app: NestFastifyApplication,
  settings: Settings,
  options: AppSetupOptions = {},
): Promise<NestFastifyApplication> {
  const config = settings.app;
  app.useLogger(new NestLogger(app.get(Logger)));
  const fastify = app.getHttpAdapter().getInstance();

  // Bodies are JSON or forms only: anything else is 415 (Fastify would otherwise accept text/plain).
  fastify.removeContentTypeParser('text/plain');
  registerShapedBodyParsers(app, config.bodyLimitBytes);
  registerBodyShapeCheck(fastify);
  // A callback hook, not an async one: the request context entered here must carry on into the
  // rest of the request's work, which an async hook's own promise would keep to itself.
  fastify.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    const clientRequestId = requestIdChosenByClient(request.raw) ? request.id : undefined;
    requestContext.enterWith({
      requestId: request.id,
      serviceRequestId: clientRequestId ? randomUUID() : request.id,
      clientRequestId,
      // request.ip walks X-Forwarded-For under TRUST_PROXY: computed only when an audit row asks.
      client: () => {
        const userAgent = request.headers['user-agent'];
        return { ipAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
      },
    });
    // Responses hold personal data and tokens: no cache may keep them.
    void reply.headers({ 'x-request-id': request.id, 'cache-control': 'no-store' });
    done();
  });
  registerRequestLog(fastify, app.get<PinoLogger>(REQUEST_LINE_LOGGER));
  registerCloseConnectionsOnShutdown(fastify, app.get(ShutdownState));

  registerSecurityHeaders(fastify, config.isProduction);
  await app.register(fastifyCookie);
  const cookies = app.get(AuthCookies);
  registerCsrfOriginCheck(fastify, {
    trustedOrigins: [...config.corsOrigins, config.origin],
    cookieNames: [cookies.sessionName, cookies.refreshName],
  });
  // Route-level hooks run after all of these, so its 415 carries the request id and security headers.
  registerJsonBodyOnlyCheck(fastify);
  // Without CORS_ORIGINS no other origin may call: no CORS at all, rather than a hook that spends a few
  // µs on every request (two route-option objects and a copy of its options) to conclude so.
  if (config.corsOrigins.length > 0) {
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
