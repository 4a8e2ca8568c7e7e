import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { Controller, Get, Inject, Injectable, Module, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Pool } from 'pg';
import { ContenderOptions, runContenderProcess } from './contender-process';
import { AccessClaims, JWT_OPTIONS, ME_SQL, meBody } from './me-query';

/**
 * The framework's own share of GET /user/me: bare Nest on Fastify with a passport-jwt guard and the
 * same SQL as the floor (bench/baseline-server.ts), and nothing of the service (no config, logs,
 * metrics, limits, CSRF, problem details). Service vs this = our cost; this vs the floor = Nest's.
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
    const { rows } = await this.pool.query(ME_SQL, [claims.sub, claims.sid, claims.ver]);
    if (rows.length === 0) throw new UnauthorizedException();
    return rows[0] as Record<string, unknown>;
  }
}

@Controller('user')
class MeController {
  @Get('me')
  @UseGuards(AuthGuard('jwt'))
  me(@Req() request: { user: Record<string, unknown> }): Record<string, unknown> {
    return meBody(request.user);
  }
}

export async function startNestContender(options: ContenderOptions): Promise<() => Promise<void>> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  @Module({
    imports: [PassportModule],
    controllers: [MeController],
    providers: [{ provide: POOL, useValue: pool }, { provide: SECRET, useValue: options.secret }, BenchJwtStrategy],
  })
  class ContenderModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ContenderModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(options.port, '127.0.0.1');
  return async () => {
    await app.close();
    await pool.end();
  };
}

/** Run as its own process by run.ts. */
if (require.main === module) runContenderProcess(startNestContender);
