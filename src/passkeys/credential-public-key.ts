import { createPublicKey, JsonWebKey } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

/** The COSE algorithms a passkey may use (API.md): ES256, EdDSA (Ed25519), RS256 of at least 2048 bits. */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257];
const MIN_RSA_BITS = 2048;

// COSE_Key labels (RFC 9052, 9053): common, then per key type.
const KTY = 1;
const ALG = 3;
const CRV_OR_N = -1;
const X_OR_E = -2;
const Y = -3;

// P-256 (FIPS 186-4 D.1.2.3): y² = x³ - 3x + b over p.
const P256_P = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
const P256_B = BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b');

function bytesOf(value: unknown, length?: number): Buffer | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  if (length !== undefined && value.length !== length) return undefined;
  return Buffer.from(value);
}

function onP256(x: Buffer, y: Buffer): boolean {
  const mod = (n: bigint) => ((n % P256_P) + P256_P) % P256_P;
  const bx = BigInt(`0x${x.toString('hex')}`);
  const by = BigInt(`0x${y.toString('hex')}`);
  if (bx >= P256_P || by >= P256_P) return false;
  return mod(by * by) === mod(bx * bx * bx - 3n * bx + P256_B);
}

/** The JWK a COSE key stands for, when it is one of the supported kinds with members of the right size. */
function jwkOf(key: Map<number, unknown>): JsonWebKey | undefined {
  const alg = key.get(ALG);
  const kty = key.get(KTY);
  if (alg === -7 && kty === 2 && key.get(CRV_OR_N) === 1) {
    const x = bytesOf(key.get(X_OR_E), 32);
    const y = bytesOf(key.get(Y), 32);
    if (!x || !y || !onP256(x, y)) return undefined;
    return { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') };
  }
  if (alg === -8 && kty === 1 && key.get(CRV_OR_N) === 6) {
    const x = bytesOf(key.get(X_OR_E), 32);
    return x ? { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') } : undefined;
  }
  if (alg === -257 && kty === 3) {
    const n = bytesOf(key.get(CRV_OR_N));
    const e = bytesOf(key.get(X_OR_E));
    if (!n || !e || n.length < MIN_RSA_BITS / 8 || e.length > 8) return undefined;
    return { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') };
  }
  return undefined;
}

/**
 * True when the COSE public key of a new credential is a usable key: a supported algorithm and curve,
 * members of the right length, an EC point on its curve, an RSA modulus of at least 2048 bits, and
 * node:crypto parses it. Attestation "none" signs nothing with the key, so junk would otherwise be
 * stored and only fail at sign-in.
 */
export function isUsablePublicKey(cosePublicKey: Uint8Array): boolean {
  let jwk: JsonWebKey | undefined;
  try {
    jwk = jwkOf(decodeCredentialPublicKey(new Uint8Array(cosePublicKey)) as unknown as Map<number, unknown>);
    if (!jwk) return false;
    const parsed = createPublicKey({ key: jwk, format: 'jwk' });
    const bits = parsed.asymmetricKeyDetails?.modulusLength;
    return jwk.kty !== 'RSA' || (bits !== undefined && bits >= MIN_RSA_BITS);
  } catch {
    return false;
  }
}
