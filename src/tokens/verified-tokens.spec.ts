import { AuthConfig } from '../config/auth.config';
import { SigningKeys } from '../keys/signing-keys';
import { VERIFIED_TOKENS_LIMIT, VerifiedTokens } from './verified-tokens';

function tokenOf(kid: string, n: number): string {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid })).toString('base64url');
  return `${header}.payload${n}.signature`;
}

class KeysStub {
  revision = 0;
  refused = new Set<string>();
  accepts(kid: string): boolean {
    return !this.refused.has(kid);
  }
}

function cacheWith(algorithm: string, keys = new KeysStub()): { cache: VerifiedTokens; keys: KeysStub } {
  const config = Object.assign(new AuthConfig(), { algorithm });
  return { cache: new VerifiedTokens(config, keys as unknown as SigningKeys), keys };
}

const later = (): number => Math.floor(Date.now() / 1000) + 600;

describe('VerifiedTokens', () => {
  it('gives back the payload of exactly the token verified before, and nothing for an altered one', () => {
    const { cache } = cacheWith('ES256');
    const token = tokenOf('k1', 1);
    const payload = { sub: 'someone', exp: later() };
    cache.remember(token, payload);
    expect(cache.get(token)).toBe(payload);
    expect(cache.get(`${token}x`)).toBeUndefined();
  });

  it('holds a token until its exp only', () => {
    const { cache } = cacheWith('ES256');
    cache.remember(tokenOf('k1', 1), { exp: Math.floor(Date.now() / 1000) - 1 });
    expect(cache.get(tokenOf('k1', 1))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("drops a key's tokens once that key no longer verifies (retired past use or revoked), at once", () => {
    const { cache, keys } = cacheWith('ES256');
    for (let n = 0; n < 3; n++) cache.remember(tokenOf('old', n), { exp: later() });
    cache.remember(tokenOf('new', 0), { exp: later() });
    keys.refused.add('old');
    expect(cache.get(tokenOf('old', 0))).toBeUndefined();
    keys.revision += 1;
    expect(cache.get(tokenOf('new', 0))).toEqual({ exp: expect.any(Number) });
    expect(cache.size).toBe(1);
  });

  it('stays bounded, the least recently used token going first', () => {
    const { cache } = cacheWith('ES256');
    for (let n = 0; n < VERIFIED_TOKENS_LIMIT; n++) cache.remember(tokenOf('k', n), { exp: later() });
    expect(cache.get(tokenOf('k', 0))).toBeDefined();
    cache.remember(tokenOf('k', VERIFIED_TOKENS_LIMIT), { exp: later() });
    expect(cache.size).toBe(VERIFIED_TOKENS_LIMIT);
    expect(cache.get(tokenOf('k', 1))).toBeUndefined();
    expect(cache.get(tokenOf('k', 0))).toBeDefined();
  });

  it('under HS* keeps tokens whatever their header, while the signing-key revisions pass them by', () => {
    const { cache, keys } = cacheWith('HS256');
    const token = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.p.s`;
    const payload = { exp: later() };
    cache.remember(token, payload);
    keys.refused.add('');
    keys.revision += 1;
    expect(cache.get(token)).toBe(payload);
    expect(cache.get(`${token}x`)).toBeUndefined();
  });

  it('keeps no ES256/RS256 token without a kid', () => {
    const es = cacheWith('ES256').cache;
    es.remember(`${Buffer.from('{"alg":"ES256"}').toString('base64url')}.p.s`, { exp: later() });
    expect(es.size).toBe(0);
  });
});
