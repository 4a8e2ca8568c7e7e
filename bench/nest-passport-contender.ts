import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createSecretKey } from 'node:crypto';
import {
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  Module,
  NestInterceptor,
  Provider,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Pool } from 'pg';
import { Observable } from 'rxjs';
import { ContenderOptions, runContenderProcess } from './contender-process';
import { AccessClaims, JWT_OPTIONS, ME_SQL, meBody } from './me-query';

/**
 * The framework's own share of GET /user/me: bare Nest on Fastify with a passport-jwt guard and the
 * same SQL as the floor (bench/baseline-server.ts), and nothing of the service (no config, logs,
 * metrics, limits, CSRF, problem details). Service vs this = our cost; this vs the floor = Nest's.
 *
 * With BENCH_CARD_SHAPE=1 it also takes the two things the design card and the contract ask of every
 * request, at no work of their own: a global interceptor (Nest then runs each handler through its
 * rxjs interceptor chain) and a request context in AsyncLocalStorage (every log line of a request
 * names its id). BENCH_CARD_SHAPE=interceptor or =context takes one of the two alone: measured so on
 * Node 24, the interceptor chain is nearly all of the card's cost (AsyncContextFrame made the context cheap).
 */
const POOL = Symbol('POOL');
const SECRET = Symbol('SECRET');

@Injectable()
class BenchJwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(SECRET) secret: string,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The typings say string | Buffer; jsonwebtoken accepts the KeyObject the service and the floor use.
      secretOrKey: createSecretKey(Buffer.from(secret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ...JWT_OPTIONS,
    });
  }

  async validate(claims: AccessClaims): Promise<Record<string, unknown>> {
    const { rows } = await this.pool.query({ name: 'me', text: ME_SQL, values: [claims.sub, claims.sid, claims.ver] });
    if (rows.length === 0) throw new UnauthorizedException();
    return rows[0] as Record<string, unknown>;
  }
}

/** What the service's HandlerContextInterceptor does, reduced to a tag: the chain's cost, not ours. */
@Injectable()
class PassThroughInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getRequest<{ handlerName?: string }>().handlerName = context.getHandler().name;
    return next.handle();
  }
}

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

@Controller('user')
class MeController {
  @Get('me')
  @UseGuards(AuthGuard('jwt'))
  me(@Req() request: { user: Record<string, unknown> }): Record<string, unknown> {
    return meBody(request.user);
  }
}

export async function startNestContender(
  options: ContenderOptions,
  shape = process.env.BENCH_CARD_SHAPE ?? '0',
): Promise<() => Promise<void>> {
  const withInterceptor = shape === '1' || shape === 'interceptor';
  const withContext = shape === '1' || shape === 'context';
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const interceptors: Provider[] = withInterceptor
    ? [{ provide: APP_INTERCEPTOR, useClass: PassThroughInterceptor }]
    : [];
  @Module({
    imports: [PassportModule],
    controllers: [MeController],
    providers: [
      { provide: POOL, useValue: pool },
      { provide: SECRET, useValue: options.secret },
      BenchJwtStrategy,
      ...interceptors,
    ],
  })
  class ContenderModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ContenderModule, new FastifyAdapter(), {
    logger: false,
  });
  if (withContext) {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (request, _reply, done) => {
        requestContext.enterWith({ requestId: request.id });
        done();
      });
  }
  await app.listen(options.port, '127.0.0.1');
  return async () => {
    await app.close();
    await pool.end();
  };
}

/** Run as its own process by run.ts. */
if (require.main === module) runContenderProcess(startNestContender);
