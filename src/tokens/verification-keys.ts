import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JsonWebTokenError } from 'jsonwebtoken';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { SigningKeys } from '../keys/signing-keys';
import { headerOf } from './token-header';

const HMAC_OF: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * The key a token is verified with, looked up before jsonwebtoken verifies it (passport-jwt's
 * secretOrKeyProvider). Asymmetric: the published key of the token's kid, only if its alg is ALGORITHM and
 * the key's own; a jku/jwk/x5u header is never read. HS*: SECRET_KEY, or the SECRET_KEY_PREVIOUS whose HMAC
 * the token carries (tokens they signed live until exp). A refusal is a JsonWebTokenError: a 401 verdict.
 */
@Injectable()
export class VerificationKeys {
  private readonly secrets: KeyObject[];

  constructor(
    private readonly config: AuthConfig,
    private readonly signingKeys: SigningKeys,
  ) {
    // KeyObjects made once: given a string, jsonwebtoken first tries (and fails) to parse it as a public
    // key on every verification, which cost an eighth of GET /user/me's CPU time.
    this.secrets = [config.secretKey as string, ...config.secretKeyPrevious].map((secret) =>
      createSecretKey(Buffer.from(secret, 'utf8')),
    );
  }

  async keyFor(token: string): Promise<KeyObject> {
    const header = headerOf(token);
    if (!header) throw new JsonWebTokenError('jwt malformed');
    const algorithm = this.config.algorithm;
    if (header.alg !== algorithm) throw new JsonWebTokenError('invalid algorithm');
    if (!isAsymmetric(algorithm)) return this.secretFor(token, algorithm);
    if (typeof header.kid !== 'string' || header.kid.length > 64)
      throw new JsonWebTokenError('invalid signature: no kid');
    const key = await this.signingKeys.verificationKey(header.kid, algorithm);
    if (!key) throw new JsonWebTokenError('invalid signature: unknown, retired or revoked kid');
    return key;
  }

  /** The secret whose HMAC the token carries (SECRET_KEY tried first), else SECRET_KEY: jsonwebtoken then verifies it all. */
  private secretFor(token: string, alg: string): KeyObject {
    const [current, ...previous] = this.secrets;
    if (previous.length === 0) return current;
    const lastDot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
    const signs = (secret: KeyObject): boolean => {
      const expected = createHmac(HMAC_OF[alg], secret).update(token.slice(0, lastDot)).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    };
    return this.secrets.find(signs) ?? current;
  }
}
