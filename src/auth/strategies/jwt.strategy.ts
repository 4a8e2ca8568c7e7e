import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { AuthCookies } from '../auth-cookies';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { AccountAccess } from '../../users/account-access';
import { isAccessClaims } from '../../tokens/access-claims';
import { VerificationKeys } from '../../tokens/verification-keys';

/** Thrown for a well-signed token whose user, version or session no longer holds. */
export class RevokedTokenError extends Error {
  constructor() {
    super('token revoked');
  }
}

/** Thrown for a well-signed token lacking a claim we rely on, or holding one of the wrong type or range. */
export class InvalidClaimsError extends Error {
  constructor() {
    super('token claims invalid');
  }
}

/**
 * Reads `Authorization: Bearer`, else the session cookie; accepts only the configured algorithm,
 * issuer and audience, with the key of the token's kid (VerificationKeys), then checks user, version and
 * session in one query.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AuthConfig,
    cookies: AuthCookies,
    verificationKeys: VerificationKeys,
    private readonly accountAccess: AccountAccess,
    private readonly clock: Clock,
  ) {
    const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();
    super({
      // passport-jwt reads a Node request; Fastify's request carries the same headers object.
      // The Authorization header wins over the cookie: the CSRF check exempts bearer requests, so the
      // cookie must not be what authenticates them.
      jwtFromRequest: (request: FastifyRequest): string | null =>
        bearer(request as unknown as Parameters<typeof bearer>[0]) ?? cookies.sessionToken(request) ?? null,
      // The typings say string | Buffer; jsonwebtoken accepts the KeyObject. A refusal (unknown kid, other
      // alg) fails the request with that verdict: 401.
      secretOrKeyProvider: (_request: unknown, rawJwtToken: string, done: (error: unknown, key?: Buffer) => void) => {
        verificationKeys.keyFor(rawJwtToken).then(
          (key) => done(null, key as unknown as Buffer),
          (error: unknown) => done(error),
        );
      },
      algorithms: [config.algorithm],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: unknown): Promise<AuthenticatedUser> {
    if (!isAccessClaims(payload, this.clock.now().getTime() / 1000)) throw new InvalidClaimsError();
    const user = await this.accountAccess.userOfAccessToken(payload.sub, payload.sid, payload.ver);
    if (!user) throw new RevokedTokenError();
    return { user, sessionId: payload.sid };
  }
}
