import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService, JwtSignOptions } from '@nestjs/jwt';
import { Clock } from '../common/clock';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { SigningKeys } from '../keys/signing-keys';
import { AccessClaims, isAccessClaims } from './access-claims';
import { VerificationKeys } from './verification-keys';

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * Signs access tokens through @nestjs/jwt: with ALGORITHM ES256/RS256 under the key that signs now, its
 * kid in the header; with HS* under SECRET_KEY, as the original did. Verification pins the algorithm,
 * issuer and audience.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
    private readonly signingKeys: SigningKeys,
    private readonly verificationKeys: VerificationKeys,
  ) {}

  get lifetimeSeconds(): number {
    return this.config.accessTokenExpireMinutes * 60;
  }

  /** `lifetimeSeconds` shortens an impersonation token's life (IMPERSONATION_MINUTES); `act` only there. */
  async sign(claims: AccessClaims, lifetimeSeconds = this.lifetimeSeconds): Promise<IssuedAccessToken> {
    const options: JwtSignOptions = {
      algorithm: this.config.algorithm,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      expiresIn: lifetimeSeconds,
      jwtid: randomUUID(),
    };
    if (isAsymmetric(this.config.algorithm)) {
      const key = await this.signingKeys.signingKey();
      // @nestjs/jwt prefers `secret` over `privateKey` when the module has a secret; jsonwebtoken takes a KeyObject.
      Object.assign(options, { keyid: key.kid, secret: key.privateKey as unknown as string });
    }
    // iat from the Clock: the token's life and its key's schedule are judged on one time line.
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const payload = { sub: claims.sub, sid: claims.sid, ver: claims.ver, iat };
    const accessToken = this.jwt.sign(claims.act ? { ...payload, act: { sub: claims.act.sub } } : payload, options);
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  /** The claims of a genuine token even if expired (logout names its session), else undefined. */
  async claimsIgnoringExpiry(token: string): Promise<AccessClaims | undefined> {
    try {
      const payload: unknown = this.jwt.verify(token, {
        secret: (await this.verificationKeys.keyFor(token)) as unknown as string,
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
