import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../common/clock';
import { AuthConfig } from '../config/auth.config';
import { AccessClaims, isAccessClaims } from './access-claims';

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/** Signs access tokens; verification pins the algorithm, issuer and audience. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  get lifetimeSeconds(): number {
    return this.config.accessTokenExpireMinutes * 60;
  }

  /** `lifetimeSeconds` shortens an impersonation token's life (IMPERSONATION_MINUTES); `act` only there. */
  sign(claims: AccessClaims, lifetimeSeconds = this.lifetimeSeconds): IssuedAccessToken {
    const accessToken = this.jwt.sign(
      { sub: claims.sub, sid: claims.sid, ver: claims.ver, ...(claims.act ? { act: { sub: claims.act.sub } } : {}) },
      {
        algorithm: this.config.algorithm,
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        expiresIn: lifetimeSeconds,
        jwtid: randomUUID(),
      },
    );
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  /** The claims of a genuine token even if expired (logout names its session), else undefined. */
  claimsIgnoringExpiry(token: string): AccessClaims | undefined {
    try {
      const payload: unknown = this.jwt.verify(token, {
        algorithms: [this.config.algorithm],
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        ignoreExpiration: true,
      });
      return isAccessClaims(payload, this.clock.now().getTime() / 1000) ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
