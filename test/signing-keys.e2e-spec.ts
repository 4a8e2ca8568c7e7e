import { AddressInfo } from 'node:net';
import { SecretCipher } from '../src/common/secrets/secret-cipher';
import { SigningKeys } from '../src/keys/signing-keys';
import { bearer, registerAndLogin, SignedInClient } from './support/accounts';
import { RemoteVerifier } from './support/remote-verifier';
import {
  claimsOf,
  headerOf,
  mint,
  PRIVATE_JWK_MEMBERS,
  privateKeyOf,
  storedKeys,
  strangerKey,
} from './support/signing-keys';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

jest.setTimeout(60_000);

describe('signing keys and the JWKS (ALGORITHM=ES256, the default)', () => {
  let t: TestApp;
  let verifier: RemoteVerifier;
  let client: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    verifier = await RemoteVerifier.start(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`);
    client = await registerAndLogin(t.app);
  });
  afterAll(async () => {
    verifier?.stop();
    await t?.close();
  });

  const me = (token: string) => get(t.app, '/user/me', bearer(token));

  async function expectRefused(token: string): Promise<void> {
    const answer = await me(token);
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  }

  it('publishes the signing and the next key as public EC JWKs with Cache-Control, and no private member', async () => {
    const answer = await get(t.app, '/.well-known/jwks.json');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = answer.json<{ keys: Record<string, string>[] }>();
    const rows = await storedKeys(t.app);
    expect(rows.map((row) => row.state)).toEqual(['signing', 'next']);
    expect(keys.map((key) => key.kid)).toEqual(rows.map((row) => row.kid));
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      for (const member of PRIVATE_JWK_MEMBERS) expect(answer.body).not.toContain(`"${member}"`);
    }
  });

  it("signs access tokens with ES256 and the signing key's kid; another process verifies them from the JWKS", async () => {
    const [signing] = await storedKeys(t.app);
    expect(headerOf(client.accessToken)).toEqual({ alg: 'ES256', typ: 'JWT', kid: signing.kid });
    expect((await me(client.accessToken)).statusCode).toBe(200);
    expect(await verifier.verify(client.accessToken)).toEqual({ ok: true, kid: signing.kid, sub: client.userId });
    // The separate process checks iss and aud too.
    const elsewhere = mint(
      { ...claimsOf(client.accessToken), aud: 'another-api' },
      privateKeyOf(t.app, signing),
      {
        alg: 'ES256',
        kid: signing.kid,
      },
      new Date(),
    );
    expect(await verifier.verify(elsewhere)).toMatchObject({ ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    await expectRefused(elsewhere);
  });

  it('refuses an HS256 token forged with SECRET_KEY, alg none, an unknown kid and a kid with another alg', async () => {
    const claims = claimsOf(client.accessToken);
    const [signing, next] = await storedKeys(t.app);
    const secret = t.settings.auth.secretKey as string;
    const now = new Date();
    const forged = {
      'HS256 with SECRET_KEY': mint(claims, secret, { alg: 'HS256' }, now),
      'HS256 with SECRET_KEY and our kid': mint(claims, secret, { alg: 'HS256', kid: signing.kid }, now),
      'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
      'alg none with our kid': `${base64url({ alg: 'none', kid: signing.kid })}.${base64url(claims)}.`,
      'a stranger key under an unknown kid': mint(claims, strangerKey('ec'), { alg: 'ES256', kid: 'unknown' }, now),
      'a stranger key under our kid': mint(claims, strangerKey('ec'), { alg: 'ES256', kid: signing.kid }, now),
      'RS256 under our kid': mint(claims, strangerKey('rsa'), { alg: 'RS256', kid: signing.kid }, now),
      'no kid': mint(claims, privateKeyOf(t.app, signing), { alg: 'ES256' }, now),
      'a jwk header with its own key': mint(claims, strangerKey('ec'), { alg: 'ES256', kid: 'attacker' }, now).replace(
        /^[^.]+/,
        base64url({ alg: 'ES256', kid: 'attacker', jwk: { kty: 'EC' } }),
      ),
    };
    for (const [name, token] of Object.entries(forged)) {
      const answer = await me(token);
      expect({ name, status: answer.statusCode }).toEqual({ name, status: 401 });
      expect(await verifier.verify(token)).toMatchObject({ ok: false });
    }
    // The next key is ours and published: a token it signed verifies (an instance may have switched first).
    const byNext = mint(claims, privateKeyOf(t.app, next), { alg: 'ES256', kid: next.kid }, now);
    expect((await me(byNext)).statusCode).toBe(200);
    const rejected = /"event_type":"token_rejected".*"reason":"bad_algorithm"/;
    expect(await t.waitForLog('security.log', rejected)).toMatch(rejected);
  });

  it('logs out the session an ES256 token names', async () => {
    const leaving = await registerAndLogin(t.app);
    const logout = await post(t.app, '/user/auth/logout', {}, bearer(leaving.accessToken));
    expect(logout.statusCode).toBe(204);
    await expectRefused(leaving.accessToken);
  });

  it('writes no private key member to any log', async () => {
    const privateMembers = (await storedKeys(t.app)).flatMap((row) => {
      const jwk = privateKeyOf(t.app, row).export({ format: 'jwk' });
      return [jwk.d as string];
    });
    for (const file of ['app.log', 'error.log', 'security.log'] as const) {
      const log = t.readLog(file);
      for (const value of privateMembers) expect(log).not.toContain(value);
      expect(log).not.toMatch(/"(d|dp|dq|qi)":"/);
    }
  });

  // Last: it leaves this app's keys unreadable.
  it('answers a sign-in 503 when no configured SECRET_KEY opens the signing key, with one error line naming the fix', async () => {
    t.app.flushLogs();
    const elsewhere = new SecretCipher({
      secretKey: 'a-secret-key-this-service-never-had-0123',
      secretKeyPrevious: [],
    });
    for (const row of await storedKeys(t.app)) {
      await t.dataSource.query('UPDATE signing_keys SET private_key_ciphertext = $1 WHERE kid = $2', [
        elsewhere.seal('clickbit/keys/signing-key/v1', Buffer.from('not a key'), row.kid),
        row.kid,
      ]);
    }
    await t.app.get(SigningKeys).reread();
    const answer = await post(t.app, '/user/auth/login', { email: client.email, password: client.password });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ status: 503, detail: expect.stringContaining('signing unavailable') });
    // Tokens already issued still verify: the public halves need no secret.
    expect((await me(client.accessToken)).statusCode).toBe(200);
    const [signing] = await storedKeys(t.app);
    const lines = (await t.waitForLog('error.log', /private signing key/))
      .split('\n')
      .filter((line) => line.includes(`private signing key ${signing.kid}`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /cannot be read with the current SECRET_KEY.*Fix: add the earlier SECRET_KEY to SECRET_KEY_PREVIOUS/,
    );
    expect(lines[0]).not.toMatch(/"stack"|\bat .*\.(ts|js):\d+/);
  });
});

describe('ALGORITHM=HS256 (the original .env)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ALGORITHM: 'HS256' } });
  });
  afterAll(() => t?.close());

  it('signs with SECRET_KEY and no kid, publishes no key (404), and stores none', async () => {
    const client = await registerAndLogin(t.app);
    expect(headerOf(client.accessToken)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const jwks = await get(t.app, '/.well-known/jwks.json');
    expect(jwks.statusCode).toBe(404);
    expect(jwks.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.dataSource.query('SELECT kid FROM signing_keys')).toEqual([]);
  });
});

describe('GET /.well-known/jwks.json under a rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_REQUESTS: '2' } });
  });
  afterAll(() => t?.close());

  it('is never limited, while another route is', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await get(t.app, '/.well-known/jwks.json')).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited: number[] = [];
    for (let i = 0; i < 3; i++) limited.push((await get(t.app, '/user/me')).statusCode);
    expect(limited).toEqual([401, 401, 429]);
  });
});
