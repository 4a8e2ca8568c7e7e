import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { AuthCookies } from '../auth-cookies';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { AccountAccess } from '../../users/account-access';
import { isAccessClaims, VerifiedAccessClaims } from '../../tokens/access-claims';
import { requestContext } from '../../logging/request-context';
import { presentedAccessToken } from './presented-access-token';

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
 * issuer and audience, then checks user, version and session in one query.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AuthConfig,
    cookies: AuthCookies,
    private readonly accountAccess: AccountAccess,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: (request: FastifyRequest): string | null => presentedAccessToken(request, cookies) ?? null,
      // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
      // public key on every verification, which cost an eighth of GET /user/me's CPU time. The typings
      // say string | Buffer; jsonwebtoken accepts a KeyObject.
      secretOrKey: createSecretKey(Buffer.from(config.secretKey as string, 'utf8')) as unknown as Buffer,
      algorithms: [config.algorithm],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: unknown): Promise<AuthenticatedUser> {
    if (!isAccessClaims(payload, this.clock.now().getTime() / 1000)) throw new InvalidClaimsError();
    if (payload.act) return this.impersonation(payload, payload.act.sub);
    const user = await this.accountAccess.userOfAccessToken(payload.sub, payload.sid, payload.ver);
    if (!user) throw new RevokedTokenError();
    return { user, sessionId: payload.sid };
  }

  /** Only tokens with `act` pay for the administrator's row; audit rows of the request then name them. */
  private async impersonation(claims: VerifiedAccessClaims, adminId: string): Promise<AuthenticatedUser> {
    const found = await this.accountAccess.userOfImpersonationToken(claims.sub, claims.sid, claims.ver, adminId);
    if (!found) throw new RevokedTokenError();
    const context = requestContext.getStore();
    if (context) context.impersonation = { userId: found.user.id, adminId };
    return { user: found.user, sessionId: claims.sid, impersonator: found.impersonator };
  }
}
