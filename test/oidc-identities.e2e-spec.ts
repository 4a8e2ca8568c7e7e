import { randomUUID } from 'node:crypto';
import { LightMyRequestResponse } from 'fastify';
import { bearer, cookieValue, login, register, SignedInClient, signedInAdmin, uniqueEmail } from './support/accounts';
import { expectProblemCode, impersonate } from './support/admin-tools';
import { ControlledClock } from './support/controlled-clock';
import { get, send } from './support/http';
import {
  CALLBACKS,
  followProvider,
  OIDC_APP_URL as APP_URL,
  OIDC_FRONTEND as FRONTEND,
  OidcTestProvider,
  ProviderAccount,
} from './support/oidc-test-provider';
import { startTestApp, TestApp } from './support/test-app';
import { waitForMail } from './support/mail-log';

describe('identities at OpenID providers: linking, listing, unlinking', () => {
  let t: TestApp;
  const clock = new ControlledClock();
  const provider = new OidcTestProvider();

  beforeAll(async () => {
    await provider.start([`${CALLBACKS}test/callback`]);
    t = await startTestApp({
      clock,
      env: {
        APP_URL,
        FRONTEND_URL: FRONTEND,
        OIDC_PROVIDERS: JSON.stringify([provider.setting('test', 'Test')]),
      },
    });
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  function account(): ProviderAccount {
    return { sub: randomUUID(), email: uniqueEmail('linked'), email_verified: true, name: 'Linked' };
  }

  /** The browser's round trip from the flow cookie and provider URL to the callback's redirect. */
  async function throughProvider(who: ProviderAccount, authorizationUrl: string, flow: string): Promise<URL> {
    provider.next = who;
    const back = await followProvider(authorizationUrl, CALLBACKS);
    const callback = await get(t.app, back.pathname + back.search, { cookie: `oidc_flow=${flow}` });
    expect(callback.statusCode).toBe(302);
    return new URL(String(callback.headers.location));
  }

  async function link(client: SignedInClient, who: ProviderAccount): Promise<URL> {
    const res = await send(t.app, 'POST', '/user/identities/test/link', undefined, bearer(client.accessToken));
    expect(res.statusCode).toBe(200);
    return throughProvider(who, res.json().authorizationUrl, cookieValue(res, 'oidc_flow')!);
  }

  async function signIn(who: ProviderAccount): Promise<LightMyRequestResponse> {
    const start = await get(t.app, '/user/auth/oidc/test/authorize');
    provider.next = who;
    const back = await followProvider(String(start.headers.location), CALLBACKS);
    return get(t.app, back.pathname + back.search, { cookie: `oidc_flow=${cookieValue(start, 'oidc_flow')}` });
  }

  function identities(client: SignedInClient): Promise<LightMyRequestResponse> {
    return get(t.app, '/user/identities', bearer(client.accessToken));
  }

  it('links an identity to a signed-in account, which then signs in with it; other sessions end', async () => {
    const owner = await login(t.app, await register(t.app));
    const other = await login(t.app, owner);
    expect((await identities(owner)).json()).toEqual([]);
    const who = account();
    const back = await link(owner, who);
    expect(back.href).toBe(`${FRONTEND}/`);
    const list = (await identities(owner)).json();
    expect(list).toEqual([
      { id: expect.any(String), provider: 'test', email: who.email, linkedAt: expect.any(String), lastUsedAt: null },
    ]);
    expect((await get(t.app, '/user/me', bearer(other.accessToken))).statusCode).toBe(401);
    const signedIn = await signIn(who);
    const me = await get(t.app, '/user/me', bearer(cookieValue(signedIn, 'user_session')!));
    expect(me.json().id).toBe(owner.userId);
    const audit = (await t.dataSource.query(
      `SELECT details FROM audit_events WHERE target_user_id = $1 AND action = 'identity.linked'`,
      [owner.userId],
    )) as { details: Record<string, unknown> }[];
    expect(audit).toEqual([{ details: expect.objectContaining({ provider: 'test', identityId: list[0].id }) }]);
  });

  it('refuses an identity already linked to another account: identity_in_use', async () => {
    const who = account();
    await link(await login(t.app, await register(t.app)), who);
    const second = await login(t.app, await register(t.app));
    const back = await link(second, who);
    expect(back.searchParams.get('error')).toBe('identity_in_use');
    expect((await identities(second)).json()).toEqual([]);
  });

  it('needs a recent proof to start a link', async () => {
    const owner = await login(t.app, await register(t.app));
    clock.advance((t.settings.auth.reauthMaxAgeSeconds + 1) * 1000);
    const res = await send(t.app, 'POST', '/user/identities/test/link', undefined, bearer(owner.accessToken));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('reauthentication_required');
  });

  it('answers 404 for a provider that is not configured', async () => {
    const owner = await login(t.app, await register(t.app));
    const res = await send(t.app, 'POST', '/user/identities/nope/link', undefined, bearer(owner.accessToken));
    expect(res.statusCode).toBe(404);
  });

  it('reauthenticates a session through a linked identity (prompt=login, max_age=0), and only through one', async () => {
    const owner = await login(t.app, await register(t.app));
    const who = account();
    await link(owner, who);
    clock.advance((t.settings.auth.reauthMaxAgeSeconds + 1) * 1000);
    const linkAgain = () => send(t.app, 'POST', '/user/identities/test/link', undefined, bearer(owner.accessToken));
    expect((await linkAgain()).statusCode).toBe(403);

    const reauth = (): Promise<LightMyRequestResponse> =>
      get(t.app, '/user/auth/oidc/test/authorize?reauth=true&returnTo=%2Fagain', {
        cookie: `user_session=${owner.sessionCookie}`,
      });
    const stranger = await reauth();
    const target = new URL(String(stranger.headers.location));
    expect(target.searchParams.get('prompt')).toBe('login');
    expect(target.searchParams.get('max_age')).toBe('0');
    const refused = await throughProvider(account(), target.href, cookieValue(stranger, 'oidc_flow')!);
    expect(refused.href).toBe(`${FRONTEND}/again?error=invalid_request`);
    expect((await linkAgain()).statusCode).toBe(403);

    const started = await reauth();
    const back = await throughProvider(who, String(started.headers.location), cookieValue(started, 'oidc_flow')!);
    expect(back.href).toBe(`${FRONTEND}/again`);
    expect((await linkAgain()).statusCode).toBe(200);
  });

  it('refuses a reauthentication without a live session: 401', async () => {
    const res = await get(t.app, '/user/auth/oidc/test/authorize?reauth=true');
    expect(res.statusCode).toBe(401);
  });

  it('refuses a reauthentication through a provider to an impersonation token: 403 impersonation_forbidden', async () => {
    const user = await login(t.app, await register(t.app));
    const { accessToken } = await impersonate(t.app, await signedInAdmin(t.app), user.userId);
    const res = await get(t.app, '/user/auth/oidc/test/authorize?reauth=true', bearer(accessToken));
    expectProblemCode(res, 'impersonation_forbidden');
  });

  it('mails the owner on a link, whose secure-account link unlinks that identity, and on an unlink', async () => {
    const owner = await login(t.app, await register(t.app));
    await link(owner, account());
    const linkedMail = await waitForMail(
      t.logDir,
      (mail) => mail.to === owner.email && mail.event === 'identity_linked',
    );
    expect(linkedMail).toMatchObject({ purpose: 'security_notification', link: expect.stringContaining('token=') });
    const token = new URL(linkedMail.link!).searchParams.get('token');
    const secured = await send(t.app, 'POST', '/user/auth/secure-account', { token });
    expect(secured.statusCode).toBe(200);
    expect(secured.json()).toMatchObject({ removed: 'identity' });
    const again = await login(t.app, owner);
    expect((await identities(again)).json()).toEqual([]);

    await link(again, account());
    // A reset mail names the providers that sign in to the account whatever its password.
    expect((await send(t.app, 'POST', '/user/auth/forgot-password', { email: owner.email })).statusCode).toBe(202);
    // The second reset mail: the first came with the secure-account step, after the identity had gone.
    const reset = await waitForMail(
      t.logDir,
      (mail) => mail.to === owner.email && mail.purpose === 'reset_password',
      2,
    );
    expect(reset.text).toContain('also signs in with Test, linked to it');
    const [linked] = (await identities(again)).json() as { id: string }[];
    const unlinked = await send(t.app, 'DELETE', `/user/identities/${linked.id}`, undefined, bearer(again.accessToken));
    expect(unlinked.statusCode).toBe(204);
    const unlinkedMail = await waitForMail(
      t.logDir,
      (mail) => mail.to === owner.email && mail.event === 'identity_unlinked',
    );
    expect(unlinkedMail.link).toBeNull();
  });

  it("unlinks an identity (204), refuses another account's (404) and the last way to sign in (409)", async () => {
    const owner = await login(t.app, await register(t.app));
    await link(owner, account());
    const [linked] = (await identities(owner)).json() as { id: string }[];
    const stranger = await login(t.app, await register(t.app));
    const foreign = await send(
      t.app,
      'DELETE',
      `/user/identities/${linked.id}`,
      undefined,
      bearer(stranger.accessToken),
    );
    expect(foreign.statusCode).toBe(404);
    const removed = await send(t.app, 'DELETE', `/user/identities/${linked.id}`, undefined, bearer(owner.accessToken));
    expect(removed.statusCode).toBe(204);
    expect((await identities(owner)).json()).toEqual([]);

    const created = await signIn(account());
    const token = cookieValue(created, 'user_session')!;
    const [only] = (await get(t.app, '/user/identities', bearer(token))).json() as { id: string }[];
    const last = await send(t.app, 'DELETE', `/user/identities/${only.id}`, undefined, bearer(token));
    expect(last.statusCode).toBe(409);
    expect((await get(t.app, '/user/identities', bearer(token))).json()).toHaveLength(1);
  });
});
