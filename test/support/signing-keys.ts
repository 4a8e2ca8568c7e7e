import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jwt from 'jsonwebtoken';
import { SigningKey } from '../../src/keys/entities/signing-key.entity';
import { SigningKeyRepository } from '../../src/keys/signing-key.repository';

export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

export interface Jwks {
  keys: Record<string, string>[];
}

export async function jwksOf(app: NestFastifyApplication): Promise<Jwks> {
  const answer = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  if (answer.statusCode !== 200) throw new Error(`GET /.well-known/jwks.json answered ${answer.statusCode}`);
  return answer.json<Jwks>();
}

export function headerOf(token: string): { alg: string; kid?: string } {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { alg: string; kid?: string };
}

export function claimsOf(token: string): Record<string, unknown> {
  return jwt.decode(token) as Record<string, unknown>;
}

/** The rows of signing_keys, in the order they sign. */
export function storedKeys(app: NestFastifyApplication): Promise<SigningKey[]> {
  return app.get(SigningKeyRepository).findAll();
}

/** A stored key's private half, opened as the service opens it (what a thief of the database and SECRET_KEY holds). */
export function privateKeyOf(app: NestFastifyApplication, row: SigningKey): KeyObject {
  return createPrivateKey({
    key: app.get(SigningKeyRepository).openPrivateKey(row).plaintext,
    format: 'der',
    type: 'pkcs8',
  });
}

/** A token with the claims of a real one, signed with the given key and header, living `seconds` from `now`. */
export function mint(
  claims: Record<string, unknown>,
  key: KeyObject | string,
  header: { alg: jwt.Algorithm; kid?: string },
  now: Date,
  seconds = 600,
): string {
  const { iat: _iat, exp: _exp, ...rest } = claims;
  const iat = Math.floor(now.getTime() / 1000);
  return jwt.sign({ ...rest, iat, exp: iat + seconds }, key, {
    algorithm: header.alg,
    ...(header.kid ? { keyid: header.kid } : {}),
  });
}

/** A key pair nobody published. */
export function strangerKey(type: 'ec' | 'rsa'): KeyObject {
  return type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
