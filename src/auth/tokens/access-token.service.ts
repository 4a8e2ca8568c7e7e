import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthConfig } from '../../config/auth.config';

/** The claims of an access token beside the registered ones (iss, aud, iat, exp, jti). */
export interface AccessClaims {
  sub: string;
  sid: string;
  ver: number;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAccessClaims(payload: unknown): payload is AccessClaims {
  const claims = payload as Partial<AccessClaims> | null;
  return (
    typeof claims?.sub === 'string' &&
    UUID.test(claims.sub) &&
    typeof claims.sid === 'string' &&
    UUID.test(claims.sid) &&
    Number.isInteger(claims.ver)
  );
}

/** Signs access tokens; verification pins the algorithm, issuer and audience. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
  ) {}

  get lifetimeSeconds(): number {
    return this.config.accessTokenExpireMinutes * 60;
  }

  sign(claims: AccessClaims): IssuedAccessToken {
    const accessToken = this.jwt.sign(
      { sub: claims.sub, sid: claims.sid, ver: claims.ver },
      {
        algorithm: this.config.algorithm,
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        expiresIn: this.lifetimeSeconds,
        jwtid: randomUUID(),
      },
    );
    return { accessToken, expiresIn: this.lifetimeSeconds };
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
      return isAccessClaims(payload) ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
