import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { VerifiedAccessClaims } from '../tokens/access-claims';
import { AccessTokenService } from '../tokens/access-token.service';
import { AccountAccess } from '../users/account-access';
import { SignedInCaller } from '../users/authenticated-user';
import { AuthCookies } from './auth-cookies';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { presentedAccessToken } from './strategies/presented-access-token';
import { ImpersonationForbidden } from '../common/decorators/not-while-impersonating.decorator';

/**
 * `GET /user/auth/oidc/:provider/authorize?reauth=true` is a browser navigation on a public route: the
 * session that asks is read here from the session cookie (or a bearer token), checked as the JWT guard
 * checks it (signature, expiry, user, version, live session). None: 401.
 */
@Injectable()
export class OidcReauthentication {
  constructor(
    private readonly cookies: AuthCookies,
    private readonly accessTokens: AccessTokenService,
    private readonly accountAccess: AccountAccess,
    private readonly clock: Clock,
  ) {}

  async caller(request: FastifyRequest): Promise<SignedInCaller> {
    const token = presentedAccessToken(request, this.cookies);
    // isAccessClaims (inside) guarantees exp; the expiry is judged here by the service's Clock.
    const claims = token
      ? ((await this.accessTokens.claimsIgnoringExpiry(token)) as VerifiedAccessClaims | undefined)
      : undefined;
    // An administrator acting as the user may not prove the user's identity again.
    if (claims?.act) throw new ImpersonationForbidden();
    const live = claims !== undefined && claims.exp * 1000 > this.clock.now().getTime();
    const user = live ? await this.accountAccess.userOfAccessToken(claims.sub, claims.sid, claims.ver) : null;
    if (!claims || !user)
      throw new UnauthorizedProblem('Sign in first: a reauthentication needs the session that asks');
    return { user, sessionId: claims.sid, ipAddress: request.ip };
  }
}
