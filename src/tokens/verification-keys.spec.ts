import { createSecretKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { AuthConfig } from '../config/auth.config';
import { SigningKeys } from '../keys/signing-keys';
import { VerificationKeys } from './verification-keys';

const SECRET = 'the-current-secret-key-of-enough-length';
const PREVIOUS = 'the-previous-secret-key-of-enough-length';

function keysWith(
  algorithm: string,
  published: Record<string, { alg: string; key: KeyObject }> = {},
): VerificationKeys {
  const config = Object.assign(new AuthConfig(), { algorithm, secretKey: SECRET, secretKeyPrevious: [PREVIOUS] });
  const signingKeys = {
    verificationKey: (kid: string, alg: string) =>
      Promise.resolve(published[kid]?.alg === alg ? published[kid].key : undefined),
  };
  return new VerificationKeys(config, signingKeys as unknown as SigningKeys);
}

describe('VerificationKeys', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it("gives the published key of the token's kid under ES256", async () => {
    const keys = keysWith('ES256', { k1: { alg: 'ES256', key: pair.publicKey } });
    const token = jwt.sign({ sub: 'x' }, pair.privateKey, { algorithm: 'ES256', keyid: 'k1' });
    expect(await keys.keyFor(token)).toBe(pair.publicKey);
  });

  it('refuses another alg, a missing or unknown kid, and a malformed header, each as a JsonWebTokenError', async () => {
    const keys = keysWith('ES256', { k1: { alg: 'ES256', key: pair.publicKey } });
    const cases: [string, RegExp][] = [
      [jwt.sign({}, SECRET, { algorithm: 'HS256', keyid: 'k1' }), /invalid algorithm/],
      [jwt.sign({}, pair.privateKey, { algorithm: 'ES256' }), /no kid/],
      [jwt.sign({}, pair.privateKey, { algorithm: 'ES256', keyid: 'k2' }), /unknown, retired or revoked kid/],
      ['not-a-token', /jwt malformed/],
    ];
    for (const [token, reason] of cases) {
      await expect(keys.keyFor(token)).rejects.toMatchObject({
        name: 'JsonWebTokenError',
        message: expect.stringMatching(reason),
      });
    }
  });

  it('gives under HS256 the SECRET_KEY_PREVIOUS whose HMAC the token carries, else SECRET_KEY', async () => {
    const keys = keysWith('HS256');
    const exported = async (token: string) => ((await keys.keyFor(token)) as KeyObject).export().toString('utf8');
    expect(await exported(jwt.sign({}, PREVIOUS, { algorithm: 'HS256' }))).toBe(PREVIOUS);
    expect(await exported(jwt.sign({}, SECRET, { algorithm: 'HS256' }))).toBe(SECRET);
    expect(
      await exported(
        jwt.sign({}, createSecretKey(Buffer.from('someone-else-entirely-0123456789')), { algorithm: 'HS256' }),
      ),
    ).toBe(SECRET);
    await expect(keys.keyFor(jwt.sign({}, SECRET, { algorithm: 'HS512' }))).rejects.toThrow(/invalid algorithm/);
  });
});
