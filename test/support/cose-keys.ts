import { generateKeyPairSync } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** COSE_Key (RFC 9052) encodings of good and broken public keys, for the passkey registration checks. */
type CoseMembers = [number, number | Uint8Array][];

const bytes = (base64url: string): Uint8Array => new Uint8Array(Buffer.from(base64url, 'base64url'));

export function coseKey(members: CoseMembers): Uint8Array {
  return isoCBOR.encode(new Map<number, number | Uint8Array>(members));
}

export function p256Members(): CoseMembers {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return [
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, bytes(jwk.x as string)],
    [-3, bytes(jwk.y as string)],
  ];
}

export function ed25519Members(): CoseMembers {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return [
    [1, 1],
    [3, -8],
    [-1, 6],
    [-2, bytes(jwk.x as string)],
  ];
}

export function rsaMembers(modulusLength: number): CoseMembers {
  const jwk = generateKeyPairSync('rsa', { modulusLength }).publicKey.export({ format: 'jwk' });
  return [
    [1, 3],
    [3, -257],
    [-1, bytes(jwk.n as string)],
    [-2, bytes(jwk.e as string)],
  ];
}

/** Replaces (or adds) members of a key. */
export function withMembers(members: CoseMembers, changes: CoseMembers): CoseMembers {
  const map = new Map(members);
  for (const [label, value] of changes) map.set(label, value);
  return [...map.entries()];
}

/** The same P-256 key with y changed: a point off the curve. */
export function offCurveP256Members(): CoseMembers {
  const members = p256Members();
  const y = new Uint8Array(members.find(([label]) => label === -3)?.[1] as Uint8Array);
  y[31] ^= 0x01;
  return withMembers(members, [[-3, y]]);
}

/** The malformed keys of the review: each answered 201 before registration checked its key. */
export function junkPublicKeys(): Record<string, Uint8Array> {
  return {
    'an OKP key with a 5-byte x': coseKey(withMembers(ed25519Members(), [[-2, new Uint8Array(5)]])),
    'RSA junk': coseKey([
      [1, 3],
      [3, -257],
      [-1, new Uint8Array([1, 2, 3, 4])],
      [-2, new Uint8Array([1, 0, 1])],
    ]),
    'an EC2 key with a 3-byte x': coseKey(withMembers(p256Members(), [[-2, new Uint8Array(3)]])),
    'an off-curve point': coseKey(offCurveP256Members()),
    'curve 99': coseKey(withMembers(p256Members(), [[-1, 99]])),
    'an RSA key of 1024 bits': coseKey(rsaMembers(1024)),
  };
}
