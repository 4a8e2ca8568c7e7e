import { createHash, createPrivateKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { AsymmetricAlgorithm } from '../config/auth.config';
import { PublicJwk } from './entities/signing-key.entity';

/** A fresh key pair with its kid and published JWK; the private half as PKCS#8 DER, to be sealed. */
export interface NewKeyPair {
  kid: string;
  algorithm: AsymmetricAlgorithm;
  publicJwk: PublicJwk;
  privateKeyDer: Buffer;
}

/** RFC 7638: the SHA-256 of the required members in lexicographic order; the same key always has the same kid. */
function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** Only the public members, named one by one: a private member (d, p, q, dp, dq, qi) cannot slip through. */
export function publicJwkOf(publicKey: KeyObject, algorithm: AsymmetricAlgorithm): PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: algorithm, use: 'sig' }
    : { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: algorithm, use: 'sig' };
}

/** node:crypto makes the pair: P-256 for ES256, 2048-bit RSA for RS256 (jsonwebtoken's floor). */
export function newKeyPair(algorithm: AsymmetricAlgorithm): NewKeyPair {
  const { publicKey, privateKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = publicJwkOf(publicKey, algorithm);
  return {
    kid: publicJwk.kid,
    algorithm,
    publicJwk,
    privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
