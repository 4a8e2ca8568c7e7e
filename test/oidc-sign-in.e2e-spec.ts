import { randomUUID } from 'node:crypto';
import { LightMyRequestResponse } from 'fastify';
import { bearer, cookieValue, login, register, signedInAdmin, uniqueEmail } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { get, send } from './support/http';
import { codeFor, enableTotp, secondStep } from './support/mfa';
import {
  CALLBACKS,
  followProvider,
  OIDC_APP_URL as APP_URL,
  OIDC_FRONTEND as FRONTEND,
  OidcTestProvider,
  ProviderAccount,
} from './support/oidc-test-provider';
import { startTestApp, TestApp } from './support/test-app';

describe('sign-in with an OpenID provider (oidc-provider on a loopback port)', () => {
  let t: TestApp;
  const clock = new ControlledClock();
  const provider = new OidcTestProvider();

  beforeAll(async () => {
    await provider.start([`${CALLBACKS}test/callback`, `${CALLBACKS}untrusted/callback`]);
    t = await startTestApp({
      clock,
      env: {
        APP_URL,
        FRONTEND_URL: FRONTEND,
        CORS_ORIGINS: '["https://admin.example.com"]',
        OIDC_PROVIDERS: JSON.stringify([
          provider.setting('test', 'Test provider'),
          provider.setting('untrusted', 'Directory', { trustEmailVerified: false }),
          { id: 'down', name: 'Down', issuer: 'http://127.0.0.1:9', clientId: 'x' },
        ]),
      },
    });
  });
  afterEach(() => {
    clock.reset();
    provider.forgery = undefined;
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  function account(overrides: Partial<ProviderAccount> = {}): ProviderAccount {
    return {
      sub: randomUUID(),
      email: uniqueEmail('oidc'),
      email_verified: true,
      given_name: 'Ada',
      family_name: 'Lovelace',
      ...overrides,
    };
  }

  function authorize(providerId = 'test', returnTo?: string): Promise<LightMyRequestResponse> {
    const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
    return get(t.app, `/user/auth/oidc/${providerId}/authorize${query}`);
  }

  /** The browser's whole round trip: authorize, the provider's scripted login, the callback. */
  async function roundTrip(
    who: ProviderAccount | 'deny',
    options: { providerId?: string; returnTo?: string; beforeCallback?: () => void; cookie?: string | null } = {},
  ): Promise<{ callback: LightMyRequestResponse; location: URL; back: URL }> {
    provider.next = who;
    const start = await authorize(options.providerId, options.returnTo);
    expect(start.statusCode).toBe(302);
    const flowCookie = cookieValue(start, 'oidc_flow');
    const back = await followProvider(String(start.headers.location), CALLBACKS);
    options.beforeCallback?.();
    const cookie = options.cookie === undefined ? flowCookie : options.cookie;
    const callback = await get(t.app, back.pathname + back.search, cookie ? { cookie: `oidc_flow=${cookie}` } : {});
    expect(callback.statusCode).toBe(302);
    return { callback, location: new URL(String(callback.headers.location)), back };
  }

  async function usersWithEmail(email: string): Promise<number> {
    const rows = (await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [email])) as {
      n: number;
    }[];
    return rows[0].n;
  }

  it('lists the configured providers by id and name, nothing else', async () => {
    const res = await get(t.app, '/user/auth/oidc/providers');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { id: 'test', name: 'Test provider' },
      { id: 'untrusted', name: 'Directory' },
      { id: 'down', name: 'Down' },
    ]);
  });

  it('sends the browser to the provider with PKCE S256, state and nonce, and sets the HttpOnly Lax flow cookie', async () => {
    const res = await authorize('test', '/settings');
    expect(res.statusCode).toBe(302);
    const target = new URL(String(res.headers.location));
    expect(target.origin).toBe(provider.issuer);
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(target.searchParams.get('state')).toBeTruthy();
    expect(target.searchParams.get('nonce')).toBeTruthy();
    expect(target.searchParams.get('redirect_uri')).toBe(`${CALLBACKS}test/callback`);
    const cookie = String([res.headers['set-cookie']].flat().find((line) => line?.startsWith('oidc_flow=')));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('answers 404 for an unknown provider', async () => {
    const res = await authorize('nope');
    expect(res.statusCode).toBe(404);
  });

  it('creates a verified account without a password on a first sign-in, and signs it in with session cookies', async () => {
    const who = account();
    const { callback, location } = await roundTrip(who, { returnTo: '/welcome?x=1' });
    expect(location.href).toBe(`${FRONTEND}/welcome?x=1`);
    const accessToken = cookieValue(callback, 'user_session');
    expect(accessToken).toBeTruthy();
    expect(cookieValue(callback, 'user_refresh')).toBeTruthy();
    const user = (await get(t.app, '/user/me', bearer(accessToken!))).json();
    expect(user).toMatchObject({ email: who.email, firstName: 'Ada', lastName: 'Lovelace', emailVerified: true });
    const audit = (await t.dataSource.query(
      `SELECT action, details FROM audit_events WHERE target_user_id = $1 ORDER BY occurred_at`,
      [user.id],
    )) as { action: string; details: Record<string, unknown> }[];
    expect(audit.map((row) => row.action)).toEqual(['user.registered', 'login.succeeded']);
    for (const row of audit) expect(row.details).toMatchObject({ method: 'oidc', provider: 'test' });
    // No password: nothing a guess can match.
    const password = await send(t.app, 'POST', '/user/auth/login', { email: who.email, password: '' });
    expect(password.statusCode).not.toBe(200);
  });

  it('takes the name, else the email local part, when given and family names are missing', async () => {
    const named = account({ given_name: undefined, family_name: undefined, name: 'Grace Hopper' });
    const first = await roundTrip(named);
    const token = cookieValue(first.callback, 'user_session')!;
    expect((await get(t.app, '/user/me', bearer(token))).json()).toMatchObject({ firstName: 'Grace Hopper' });
    const bare = account({ given_name: undefined, family_name: undefined, email: 'bare.local@example.com' });
    const second = await roundTrip({ ...bare, email: `x${randomUUID().slice(0, 8)}@example.com` });
    const me = (await get(t.app, '/user/me', bearer(cookieValue(second.callback, 'user_session')!))).json();
    expect(me.firstName).toMatch(/^x[0-9a-f]{8}$/);
  });

  it('signs a returning user into the same account by issuer and sub, even when the email changed', async () => {
    const who = account();
    const first = await roundTrip(who);
    const id = (await get(t.app, '/user/me', bearer(cookieValue(first.callback, 'user_session')!))).json().id;
    const again = await roundTrip({ ...who, email: uniqueEmail('changed') });
    const me = (await get(t.app, '/user/me', bearer(cookieValue(again.callback, 'user_session')!))).json();
    expect(me).toMatchObject({ id, email: who.email });
  });

  it('never takes over an existing account with the same email: account_exists, nothing linked', async () => {
    const owner = await register(t.app);
    const { callback, location } = await roundTrip(account({ email: owner.email }));
    expect(location.searchParams.get('error')).toBe('account_exists');
    expect(location.origin + location.pathname).toBe(`${FRONTEND}/`);
    expect(cookieValue(callback, 'user_session')).toBeUndefined();
    const linked = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM external_identities i JOIN users u ON u.id = i.user_id WHERE u.email = $1`,
      [owner.email],
    )) as { n: number }[];
    expect(linked[0].n).toBe(0);
    expect((await login(t.app, owner)).userId).toBeTruthy();
  });

  it('refuses an unverified email, and any email from a provider not trusted for it: email_not_verified', async () => {
    const unverified = account({ email_verified: false });
    expect((await roundTrip(unverified)).location.searchParams.get('error')).toBe('email_not_verified');
    const untrusted = account();
    const viaDirectory = await roundTrip(untrusted, { providerId: 'untrusted' });
    expect(viaDirectory.location.searchParams.get('error')).toBe('email_not_verified');
    const bad = account({ email: 'not an email' });
    expect((await roundTrip(bad)).location.searchParams.get('error')).toBe('email_not_verified');
    expect(await usersWithEmail(unverified.email!)).toBe(0);
    expect(await usersWithEmail(untrusted.email!)).toBe(0);
  });

  it('refuses a deactivated account: account_disabled', async () => {
    const who = account();
    const first = await roundTrip(who);
    const id = (await get(t.app, '/user/me', bearer(cookieValue(first.callback, 'user_session')!))).json().id;
    const admin = await signedInAdmin(t.app);
    const off = await send(t.app, 'PATCH', `/admin/users/${id}`, { isActive: false }, bearer(admin.accessToken));
    expect(off.statusCode).toBe(200);
    const { callback, location } = await roundTrip(who);
    expect(location.searchParams.get('error')).toBe('account_disabled');
    expect(cookieValue(callback, 'user_session')).toBeUndefined();
  });

  it('refuses a banned account once the provider vouched for it (account_banned), and signs it in once lifted', async () => {
    const who = account();
    const first = await roundTrip(who);
    const id = (await get(t.app, '/user/me', bearer(cookieValue(first.callback, 'user_session')!))).json().id;
    const admin = await signedInAdmin(t.app);
    const ban = await send(t.app, 'POST', `/admin/users/${id}/ban`, { reason: 'Spam' }, bearer(admin.accessToken));
    expect(ban.statusCode).toBe(200);
    const refused = await roundTrip(who);
    expect(refused.location.searchParams.get('error')).toBe('account_banned');
    expect(cookieValue(refused.callback, 'user_session')).toBeUndefined();
    expect(
      (await send(t.app, 'DELETE', `/admin/users/${id}/ban`, undefined, bearer(admin.accessToken))).statusCode,
    ).toBe(200);
    const lifted = await roundTrip(who);
    expect(lifted.location.searchParams.get('error')).toBeNull();
    expect(cookieValue(lifted.callback, 'user_session')).toBeTruthy();
  });

  it('uses a state once: the replayed callback is invalid_request and signs nobody in', async () => {
    const { back, callback } = await roundTrip(account());
    expect(cookieValue(callback, 'user_session')).toBeTruthy();
    const replay = await get(t.app, back.pathname + back.search);
    expect(replay.statusCode).toBe(302);
    expect(new URL(String(replay.headers.location)).searchParams.get('error')).toBe('invalid_request');
    expect(cookieValue(replay, 'user_session')).toBeUndefined();
  });

  it('refuses a flow older than 10 minutes: invalid_request, no account', async () => {
    const who = account();
    const { location } = await roundTrip(who, { beforeCallback: () => clock.advance(10 * 60_000 + 1000) });
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(await usersWithEmail(who.email!)).toBe(0);
  });

  it('sweeps abandoned flows once they expire, when another flow starts', async () => {
    const abandoned = new URL(String((await authorize()).headers.location)).searchParams.get('state');
    const live = await authorize();
    const count = async (state: string | null): Promise<number> =>
      (
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM oidc_flows WHERE state = $1`, [state])) as {
          n: number;
        }[]
      )[0].n;
    expect(await count(abandoned)).toBe(1);
    clock.advance(10 * 60_000 + 1000);
    await authorize();
    expect(await count(abandoned)).toBe(0);
    expect(await count(new URL(String(live.headers.location)).searchParams.get('state'))).toBe(0);
  });

  it('refuses a callback without the flow cookie, or with another browser’s: invalid_request', async () => {
    const missing = account();
    expect((await roundTrip(missing, { cookie: null })).location.searchParams.get('error')).toBe('invalid_request');
    const foreign = account();
    const other = cookieValue(await authorize(), 'oidc_flow')!;
    expect((await roundTrip(foreign, { cookie: other })).location.searchParams.get('error')).toBe('invalid_request');
    expect(await usersWithEmail(missing.email!)).toBe(0);
    expect(await usersWithEmail(foreign.email!)).toBe(0);
  });

  it('answers a malformed callback with a redirect, never problem details', async () => {
    for (const query of ['', '?state=', '?state=a&state=b', '?code=x&state=unknown', '?error=x']) {
      const res = await get(t.app, `/user/auth/oidc/test/callback${query}`);
      expect(res.statusCode).toBe(302);
      expect(String(res.headers.location)).toBe(`${FRONTEND}/?error=invalid_request`);
    }
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https:evil.example',
    'javascript:alert(1)',
    'https://app.example.com@evil.example',
    'https://app.example.com.evil.example',
  ])('refuses returnTo %s with 400', async (returnTo) => {
    const res = await authorize('test', returnTo);
    expect(res.statusCode).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('accepts a returnTo on a CORS origin', async () => {
    const { location } = await roundTrip(account(), { returnTo: 'https://admin.example.com/done' });
    expect(location.href).toBe('https://admin.example.com/done');
  });

  it('sends the browser back with provider_unavailable when discovery fails', async () => {
    const res = await authorize('down', '/x');
    expect(res.statusCode).toBe(302);
    expect(String(res.headers.location)).toBe(`${FRONTEND}/x?error=provider_unavailable`);
  });

  it("passes on the provider's refusal as access_denied", async () => {
    const { location } = await roundTrip('deny', { returnTo: '/y' });
    expect(location.href).toBe(`${FRONTEND}/y?error=access_denied`);
  });

  it.each([
    ['a wrong nonce', { claims: { nonce: 'not-the-one' } }, /unexpected JWT claim value encountered \(nonce\)/],
    ['a wrong audience', { claims: { aud: 'another-client' } }, /unexpected JWT claim value encountered \(aud\)/],
    ['a wrong issuer', { claims: { iss: 'http://127.0.0.1:1' } }, /unexpected JWT claim value encountered \(iss\)/],
    [
      'an expired ID token',
      { claims: { exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 900 } },
      /JWT timestamp claim value failed validation \(exp\)/,
    ],
    ['a signature of another key', { otherKey: true }, /JWT signature verification failed/],
  ])('refuses an ID token with %s: invalid_request, no account', async (_label, forgery, reason) => {
    const who = account();
    provider.forgery = forgery;
    const { location, callback } = await roundTrip(who);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(cookieValue(callback, 'user_session')).toBeUndefined();
    expect(await usersWithEmail(who.email!)).toBe(0);
    expect(await t.waitForLog('security.log', reason)).toMatch(reason);
  });

  it('still asks a user with TOTP for the second factor: #mfaToken in the fragment, then POST /user/auth/mfa', async () => {
    const who = account();
    const first = await roundTrip(who);
    const accessToken = cookieValue(first.callback, 'user_session')!;
    const me = (await get(t.app, '/user/me', bearer(accessToken))).json();
    const { secret } = await enableTotp(
      t.app,
      {
        email: who.email!,
        password: '',
        userId: me.id,
        accessToken,
        refreshToken: '',
        sessionCookie: '',
        refreshCookie: '',
      },
      clock,
    );
    const { callback, location } = await roundTrip(who, { returnTo: '/after' });
    expect(cookieValue(callback, 'user_session')).toBeUndefined();
    expect(location.origin + location.pathname + location.search).toBe(`${FRONTEND}/after`);
    const mfaToken = new URLSearchParams(location.hash.slice(1)).get('mfaToken');
    expect(mfaToken).toBeTruthy();
    const done = await secondStep(t.app, mfaToken!, codeFor(secret, clock));
    expect(done.statusCode).toBe(200);
    expect(done.json().user.id).toBe(me.id);
  });
});
