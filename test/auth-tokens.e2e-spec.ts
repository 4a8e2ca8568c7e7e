import { createHmac, randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { User } from '../src/users/entities/user.entity';
import { bearer, login, register, registerAndLogin, SignedInClient } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// The original's .env (ALGORITHM=HS256, tokens signed with SECRET_KEY) behaves exactly as before: these
// tests forge tokens with SECRET_KEY. signing-keys.e2e-spec.ts holds the same refusals under ES256.
describe('access and refresh tokens (ALGORITHM=HS256, the original .env)', () => {
  let t: TestApp;
  let secret: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ALGORITHM: 'HS256' } });
    secret = t.settings.auth.secretKey as string;
  });
  afterAll(() => t.close());

  const me = (headers: Record<string, string>) => get(t.app, '/user/me', headers);
  const refresh = (refreshToken?: string, headers: Record<string, string> = {}) =>
    post(t.app, '/user/auth/refresh', refreshToken ? { refreshToken } : {}, headers);

  async function expectRejected(token: string): Promise<void> {
    for (const headers of [bearer(token), { cookie: `user_session=${token}` }]) {
      const res = await me(headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  }

  it('lets the Authorization header win over the session cookie when both come', async () => {
    const cookieOwner = await registerAndLogin(t.app);
    const bearerOwner = await registerAndLogin(t.app);
    const both = await me({ ...bearer(bearerOwner.accessToken), cookie: `user_session=${cookieOwner.sessionCookie}` });
    expect(both.statusCode).toBe(200);
    expect((both.json() as { id: string }).id).toBe(bearerOwner.userId);
    // A bad header is not rescued by a good cookie.
    const badHeader = await me({ ...bearer('not-a-token'), cookie: `user_session=${cookieOwner.sessionCookie}` });
    expect(badHeader.statusCode).toBe(401);
  });

  function forge(client: SignedInClient, overrides: object = {}, key = secret, options: jwt.SignOptions = {}): string {
    const claims = jwt.decode(client.accessToken) as Record<string, unknown>;
    const { iat: _iat, exp: _exp, ...rest } = claims;
    return jwt.sign({ ...rest, ...overrides }, key, { algorithm: 'HS256', expiresIn: 600, ...options });
  }

  it('issues access tokens with the documented claims', async () => {
    const client = await registerAndLogin(t.app);
    const header = jwt.decode(client.accessToken, { complete: true })?.header;
    expect(header?.alg).toBe('HS256');
    const claims = jwt.verify(client.accessToken, secret) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: client.userId,
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ver: 0,
      iss: 'clickbit-api',
      aud: 'clickbit-api',
      jti: expect.any(String),
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(1800);
    expect((await me(bearer(client.accessToken))).statusCode).toBe(200);
    expect((await me({ cookie: `user_session=${client.sessionCookie}` })).statusCode).toBe(200);
  });

  it('checks an access token with exactly one database round trip', async () => {
    // A statement is sent as its text, or as a config object holding it (a named prepared statement).
    const sqlOf = (query: unknown): string =>
      typeof query === 'string' ? query : String((query as { text?: unknown } | undefined)?.text);
    const client = await registerAndLogin(t.app);
    // pg's Client sees every statement, whether TypeORM's query runner or the pool sends it.
    const queries = jest.spyOn(Client.prototype, 'query');
    try {
      const res = await me(bearer(client.accessToken));
      expect(res.statusCode).toBe(200);
      // The background jobs run meanwhile on connections of their own (the mail dispatcher polls every
      // 500 ms, retention deletes hourly): every statement of a connection that ran one of theirs is left out.
      const background = new Set(
        queries.mock.calls
          .map((call, index) => ({ sql: sqlOf(call[0]), runner: queries.mock.contexts[index] }))
          .filter(({ sql }) => /mail_outbox|^\s*DELETE\b/i.test(sql))
          .map(({ runner }) => runner),
      );
      const ours = queries.mock.calls.filter((_call, index) => !background.has(queries.mock.contexts[index]));
      expect(ours).toHaveLength(1);
      expect(sqlOf(ours[0][0])).toMatch(/FROM\s+"?users"?.*JOIN\s+"?sessions"?/s);
    } finally {
      queries.mockRestore();
    }
  });

  it("answers GET /user/me with the account's stored timestamps, to the millisecond", async () => {
    const client = await registerAndLogin(t.app);
    // A verified address too, so that every timestamp the check reads is set.
    await t.dataSource.query(`UPDATE users SET email_verified_at = now() - interval '1.2345 second' WHERE email = $1`, [
      client.email,
    ]);
    const res = await me(bearer(client.accessToken));
    expect(res.statusCode).toBe(200);
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ email: client.email });
    expect(res.json()).toMatchObject({
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
      lastLoginAt: stored.lastLoginAt?.toISOString(),
      emailVerified: true,
    });
    expect(stored.lastLoginAt).not.toBeNull();
    expect(stored.emailVerifiedAt).not.toBeNull();
  });

  it('rejects missing, malformed and forged tokens alike', async () => {
    const client = await registerAndLogin(t.app);
    const claims = jwt.decode(client.accessToken) as Record<string, unknown>;
    expect((await me({})).statusCode).toBe(401);
    await expectRejected('not.a.jwt');
    await expectRejected(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`);
    await expectRejected(forge(client, {}, secret, { algorithm: 'HS512' }));
    await expectRejected(forge(client, {}, 'another-secret-key-of-sufficient-length!!'));
    await expectRejected(forge(client, {}, secret, { expiresIn: -10 }));
    await expectRejected(forge(client, { iss: 'someone-else' }));
    await expectRejected(forge(client, { aud: 'another-api' }));
    await expectRejected(forge(client, { sub: randomUUID() }));
    await expectRejected(forge(client, { ver: 1 }));
    await expectRejected(forge(client, { sid: randomUUID() }));
    const [h, , s] = client.accessToken.split('.');
    await expectRejected(`${h}.${base64url({ ...claims, sub: randomUUID() })}.${s}`);
    // A jku header pointing elsewhere changes nothing: the key is ours alone.
    await expectRejected(
      jwt.sign(claims, 'attacker-key-attacker-key-attacker-key', {
        header: { alg: 'HS256', jku: 'http://127.0.0.1:1/jwks' },
      }),
    );
    expect((await me(bearer(client.accessToken))).statusCode).toBe(200);
    const badSignature = /"event_type":"token_rejected".*"reason":"bad_signature"/;
    expect(await t.waitForLog('security.log', badSignature)).toMatch(badSignature);
    const metrics = (await get(t.app, '/metrics')).body;
    expect(metrics).toMatch(/^auth_token_rejections_total\{reason="bad_signature"\} [1-9]/m);
  });

  it('rejects a well-signed token whose claims are missing, mistyped or out of range, never with a 500', async () => {
    const client = await registerAndLogin(t.app);
    const { iat: _iat, exp: _exp, ...issued } = jwt.decode(client.accessToken) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...issued, iat: now, exp: now + 600 };
    // jsonwebtoken keeps a given iat and adds no exp; noTimestamp drops iat altogether.
    const sign = (payload: Record<string, unknown>, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, secret, { algorithm: 'HS256', ...options });
    // jsonwebtoken refuses to sign a non-numeric exp, so this one is signed by hand.
    const signRaw = (payload: Record<string, unknown>) => {
      const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const without = (name: string) => Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));
    expect((await me(bearer(sign(claims)))).statusCode).toBe(200);
    const reference = (await me(bearer('not.a.jwt'))).json<Record<string, unknown>>();
    const forged: Record<string, string> = {
      'missing exp': sign(without('exp')),
      'missing iat': sign(claims, { noTimestamp: true }),
      'missing sid': sign(without('sid')),
      'missing sub': sign(without('sub')),
      'missing ver': sign(without('ver')),
      'ver 1e300': sign({ ...claims, ver: 1e300 }),
      'ver 2^31': sign({ ...claims, ver: 2 ** 31 }),
      'ver -1': sign({ ...claims, ver: -1 }),
      'ver 0.5': sign({ ...claims, ver: 0.5 }),
      'ver "1"': sign({ ...claims, ver: '1' }),
      'ver "0"': sign({ ...claims, ver: '0' }),
      'sub not a uuid': sign({ ...claims, sub: 'not-a-uuid' }),
      'sid a number': sign({ ...claims, sid: 42 }),
      'exp as string': signRaw({ ...claims, exp: String(now + 600) }),
      'exp before iat': sign({ ...claims, iat: now + 30, exp: now + 20 }),
      'iat an hour ahead': sign({ ...claims, iat: now + 3600, exp: now + 4200 }),
      'iat fractional': sign({ ...claims, iat: now + 0.5 }),
    };
    for (const [name, token] of Object.entries(forged)) {
      for (const headers of [bearer(token), { cookie: `user_session=${token}` }]) {
        const res = await me(headers);
        expect({ name, status: res.statusCode }).toEqual({ name, status: 401 });
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const { requestId: _id, ...body } = res.json<Record<string, unknown>>();
        const { requestId: _ref, ...expected } = reference;
        expect(body).toEqual(expected);
      }
    }
  });

  it('rejects the tokens of a deactivated or deleted user', async () => {
    const client = await registerAndLogin(t.app);
    await t.dataSource.getRepository(User).update({ id: client.userId }, { isActive: false });
    await expectRejected(client.accessToken);
    const other = await registerAndLogin(t.app);
    await t.dataSource.getRepository(User).delete({ id: other.userId });
    await expectRejected(other.accessToken);
  });

  it('rotates refresh tokens and treats reuse as theft of the whole session', async () => {
    const client = await registerAndLogin(t.app);
    const first = await refresh(client.refreshToken);
    expect(first.statusCode).toBe(200);
    const rotated = first.json() as { accessToken: string; refreshToken: string };
    expect(rotated.refreshToken).not.toBe(client.refreshToken);
    expect((await me(bearer(rotated.accessToken))).statusCode).toBe(200);

    const replay = await refresh(client.refreshToken);
    expect(replay.statusCode).toBe(401);
    // The family is revoked: the newest refresh token and both access tokens stop working.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    await expectRejected(rotated.accessToken);
    await expectRejected(client.accessToken);
    expect(await t.waitForLog('security.log', /"event_type":"refresh_reuse"/)).toMatch(/"event_type":"refresh_reuse"/);
  });

  it('reads the refresh cookie, and the body wins when both come', async () => {
    const client = await registerAndLogin(t.app);
    const viaCookie = await refresh(undefined, { cookie: `user_refresh=${client.refreshCookie}` });
    expect(viaCookie.statusCode).toBe(200);
    const next = viaCookie.json() as { refreshToken: string };
    const both = await refresh(next.refreshToken, { cookie: 'user_refresh=garbage' });
    expect(both.statusCode).toBe(200);
    expect((await refresh('garbage')).statusCode).toBe(401);
    expect((await refresh()).statusCode).toBe(401);
  });

  it('ends sessions after SESSION_MAX_DAYS however often refreshed', async () => {
    const client = await registerAndLogin(t.app);
    await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      client.userId,
    ]);
    expect((await refresh(client.refreshToken)).statusCode).toBe(401);
    await expectRejected(client.accessToken);
  });

  it('logs out one session, and logout-all ends every session', async () => {
    const account = await register(t.app);
    const phone = await login(t.app, account);
    const laptop = await login(t.app, account);
    const out = await post(t.app, '/user/auth/logout', undefined, bearer(phone.accessToken));
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toEqual(
      expect.arrayContaining([
        'user_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
        'user_refresh=; Max-Age=0; Path=/user/auth; HttpOnly; SameSite=Lax',
      ]),
    );
    await expectRejected(phone.accessToken);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(401);
    expect((await me(bearer(laptop.accessToken))).statusCode).toBe(200);

    const anonymous = await post(t.app, '/user/auth/logout');
    expect(anonymous.statusCode).toBe(204);

    const tablet = await login(t.app, account);
    const byRefresh = await post(t.app, '/user/auth/logout', { refreshToken: tablet.refreshToken });
    expect(byRefresh.statusCode).toBe(204);
    await expectRejected(tablet.accessToken);

    const desktop = await login(t.app, account);
    const all = await post(t.app, '/user/auth/logout-all', undefined, bearer(laptop.accessToken));
    expect(all.statusCode).toBe(204);
    await expectRejected(laptop.accessToken);
    await expectRejected(desktop.accessToken);
    expect((await refresh(desktop.refreshToken)).statusCode).toBe(401);
    expect((await post(t.app, '/user/auth/logout-all')).statusCode).toBe(401);
    await expect(login(t.app, account)).resolves.toBeDefined();
  });
});

describe('prefixed cookies (COOKIE_PREFIX=true)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { COOKIE_PREFIX: 'true' } });
  });
  afterAll(() => t.close());

  it('names the cookies __Host-/__Secure-, always Secure, and ignores the plain names', async () => {
    const account = await register(t.app);
    const res = await post(t.app, '/user/auth/login', account);
    expect(res.statusCode).toBe(200);
    const cookies = res.headers['set-cookie'] as string[];
    const body = res.json() as { accessToken: string; refreshToken: string };
    expect(cookies).toEqual([
      `__Host-user_session=${body.accessToken}; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax`,
      `__Secure-user_refresh=${body.refreshToken}; Max-Age=604800; Path=/user/auth; HttpOnly; Secure; SameSite=Lax`,
    ]);
    const prefixed = await get(t.app, '/user/me', { cookie: `__Host-user_session=${body.accessToken}` });
    expect(prefixed.statusCode).toBe(200);
    const plain = await get(t.app, '/user/me', { cookie: `user_session=${body.accessToken}` });
    expect(plain.statusCode).toBe(401);
  });
});
