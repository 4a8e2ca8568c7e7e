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
import { VerificationKeys } from '../../tokens/verification-keys';
import { VerifiedTokens } from '../../tokens/verified-tokens';
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
 * issuer and audience, with the key of the token's kid (VerificationKeys), then checks user, version and
 * session in one query. A token whose signature was verified before (VerifiedTokens)
 * skips jsonwebtoken and goes straight to that check.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly tokenOf: (request: FastifyRequest) => string | null;

  constructor(
    config: AuthConfig,
    cookies: AuthCookies,
    verificationKeys: VerificationKeys,
    private readonly verified: VerifiedTokens,
    private readonly accountAccess: AccountAccess,
    private readonly clock: Clock,
  ) {
    const tokenOf = (request: FastifyRequest): string | null => presentedAccessToken(request, cookies) ?? null;
    super({
      jwtFromRequest: tokenOf,
      passReqToCallback: true,
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
    this.tokenOf = tokenOf;
  }

  /** passport calls this on a per-request copy of the strategy, which carries success() and error(). */
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: object): void {
    // The typings name Express's request; passport hands over Fastify's.
    const fastifyRequest = request as unknown as FastifyRequest;
    const token = this.tokenOf(fastifyRequest);
    const payload = token ? this.verified.get(token) : undefined;
    if (payload === undefined) return super.authenticate(request, options);
    this.validate(fastifyRequest, payload).then(
      (user) => this.success(user),
      (error: Error) => this.error(error),
    );
  }

  async validate(request: FastifyRequest, payload: unknown): Promise<AuthenticatedUser> {
    if (!isAccessClaims(payload, this.clock.now().getTime() / 1000)) throw new InvalidClaimsError();
    if (payload.act) return this.impersonation(payload, payload.act.sub);
    const user = await this.accountAccess.userOfAccessToken(payload.sub, payload.sid, payload.ver);
    if (!user) throw new RevokedTokenError();
    const token = this.tokenOf(request);
    if (token) this.verified.remember(token, payload);
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
