import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { bearer, cookieValue, login, register, SignedInClient, STRONG_PASSWORD } from '../accounts';
import { ControlledClock } from '../controlled-clock';
import { codeFor, nextMidStep } from '../mfa';
import { followProvider, OidcTestProvider } from '../oidc-test-provider';
import { APP_ORIGIN } from '../passkey-calls';
import { SoftwareAuthenticator } from '../software-authenticator';
import { buildRequest, FuzzRequest, NOWHERE } from './fuzz-request';
import { exampleOf, FuzzOperation, OpenApiDocument } from './openapi-operations';

type Json = Record<string, unknown>;

interface Call {
  /** Values the service issues (tokens, codes, credentials), replacing the example's. */
  live?: Json;
  path?: Record<string, string>;
  query?: [string, string][];
  client?: SignedInClient;
  /** Send no body at all (an optional one). */
  bodiless?: boolean;
  /** Extra request headers (a cookie). */
  headers?: Record<string, string>;
  /** The status the operation answers with when it is not 2xx (the OpenID redirects: 302). */
  status?: number;
}

/**
 * Sends each operation's own example from the document, with only what the service issues (tokens,
 * codes, passkey credentials, ids of live resources) replaced by live values, and collects every
 * answer that is not 2xx: an example the service refuses is a wrong example or a wrong rule.
 */
export class LiveExamples {
  readonly failures: string[] = [];
  /** The last answer, for what a body does not carry (a redirect's Location, a cookie). */
  last?: LightMyRequestResponse;
  private readonly operations: Map<string, FuzzOperation>;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly dataSource: DataSource,
    private readonly document: OpenApiDocument,
    operations: FuzzOperation[],
    private readonly clock: ControlledClock,
    private readonly logDir: string,
    private readonly counts: Map<string, number>,
    private readonly bodyLimit: number,
  ) {
    this.operations = new Map(operations.map((operation) => [operation.id, operation]));
  }

  /** The operations the example run did not reach, so a new route cannot go unexampled. */
  unreached(): string[] {
    return [...this.operations.keys()].filter((id) => !this.counts.has(id));
  }

  async send(id: string, call: Call = {}): Promise<Json> {
    const operation = this.operations.get(id);
    if (!operation) throw new Error(`no operation ${id} in the document`);
    const example = operation.body ? exampleOf(this.document, operation.body.schema) : undefined;
    const request: FuzzRequest = {
      operation,
      label: 'live example',
      pathValues: { ...Object.fromEntries(operation.pathParameters.map((p) => [p.name, NOWHERE])), ...call.path },
      query: call.query ?? [],
      body:
        operation.body && !call.bodiless ? { kind: 'json', value: { ...(example as Json), ...call.live } } : undefined,
      session: 'valid',
    };
    const built = buildRequest(request, this.bodyLimit);
    const res = await this.app.inject({
      method: built.method,
      url: built.url,
      payload: built.payload,
      headers: {
        ...(built.contentType ? { 'content-type': built.contentType } : {}),
        ...(call.client ? bearer(call.client.accessToken) : {}),
        ...call.headers,
      },
    });
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    this.last = res;
    const expected =
      call.status === undefined ? res.statusCode >= 200 && res.statusCode < 300 : res.statusCode === call.status;
    if (!expected) {
      this.failures.push(`${id} ${built.method} ${built.url} ${built.payload ?? ''} -> ${res.statusCode} ${res.body}`);
    }
    return res.body && res.headers['content-type']?.toString().includes('json') ? (JSON.parse(res.body) as Json) : {};
  }

  /**
   * The token of the newest mail of a kind: from the outbox while it waits, else from LOG_DIR/mail.log
   * once delivered (delivery clears the outbox's copy). Forgot-password queues after answering: wait.
   */
  private async mailToken(recipient: string, purpose: string): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const [row] = (await this.dataSource.query(
        `SELECT link FROM mail_outbox WHERE recipient = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1`,
        [recipient, purpose],
      )) as { link: string | null }[];
      const delivered = readDeliveredMail(this.logDir)
        .filter((mail) => mail.to === recipient && mail.purpose === purpose)
        .pop();
      const link = row ? (row.link ?? delivered?.link) : undefined;
      if (link) return new URL(link, 'http://localhost').searchParams.get('token') ?? '';
      if (Date.now() > deadline)
        throw new Error(`no ${purpose} mail to ${recipient}; so far: ${this.failures.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The account of the document's examples: registered, signed in, verified, renamed, passkeyed, re-passworded. */
  async exampleAccount(adminClient: SignedInClient): Promise<void> {
    const registered = await this.send('AuthController_register');
    const signedIn = await this.send('AuthController_login');
    // What a resource server fetches to verify the token just issued.
    await this.send('JwksController_jwks');
    const email = String(registered.email);
    let john = { ...signedInClient(signedIn), email, password: STRONG_PASSWORD };
    await this.send('MeController_me', { client: john });
    await this.send('MeController_update', { client: john });
    await this.send('EmailVerificationController_request', { client: john });
    await this.send('EmailVerificationController_verify', {
      live: { token: await this.mailToken(email, 'verify_email') },
    });
    const refreshed = signedInClient(
      await this.send('AuthController_refresh', { live: { refreshToken: john.refreshToken } }),
    );
    john = { ...refreshed, email, password: STRONG_PASSWORD };

    await login(this.app, john);
    const sessions = (await this.send('AccountController_list', { client: john })) as unknown as Json[];
    const other = (Array.isArray(sessions) ? sessions : []).find((session) => session.current === false);
    await this.send('AccountController_revoke', { client: john, path: { id: String(other?.id ?? NOWHERE) } });
    await this.send('ActivityController_list', { client: john });
    await this.send('AdminUsersController_get', { client: adminClient, path: { id: john.userId } });

    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    const creation = await this.send('PasskeysController_options', { client: john });
    const credential = authenticator.create(creation as never);
    const passkey = await this.send('PasskeysController_register', { client: john, live: { credential } });
    await this.send('PasskeysController_list', { client: john });
    await this.send('PasskeysController_rename', { client: john, path: { id: String(passkey.id) } });
    const requestOptions = await this.send('PasskeySignInController_options');
    await this.send('PasskeySignInController_signIn', {
      live: { credential: authenticator.get(requestOptions as never) },
    });
    await this.send('ReauthenticationController_withSecrets', { client: john });
    const reauthOptions = await this.send('ReauthenticationController_options', { client: john });
    await this.send('ReauthenticationController_withPasskey', {
      client: john,
      live: { credential: authenticator.get(reauthOptions as never) },
    });
    await this.send('PasskeysController_remove', { client: john, path: { id: String(passkey.id) } });

    await this.send('AccountController_changePassword', { client: john });
    await this.send('PasswordResetController_forgot');
    await this.mailToken(email, 'reset_password');
    // The password change's notification carries the "this wasn't me" link: the step ends every session
    // and voids the link forgot-password mailed, then mails a reset link of its own, used next.
    await this.send('SecureAccountController_secure', {
      live: { token: await this.mailToken(email, 'security_notification') },
    });
    await this.send('PasswordResetController_reset', {
      live: { token: await this.mailToken(email, 'reset_password') },
    });
  }

  /** A second factor from setup to the admin's reset, on an account whose password is the example's. */
  async secondFactor(adminClient: SignedInClient): Promise<void> {
    let owner = await login(this.app, await register(this.app, { password: STRONG_PASSWORD }));
    const { secret } = (await this.send('MfaController_setup', { client: owner })) as { secret: string };
    nextMidStep(this.clock);
    const enabled = await this.send('MfaController_enable', {
      client: owner,
      live: { code: codeFor(secret, this.clock) },
    });
    nextMidStep(this.clock);
    const regenerated = await this.send('MfaController_regenerate', { client: owner });
    const codes = (regenerated.recoveryCodes ?? enabled.recoveryCodes) as string[];
    const password = await this.app.inject({ method: 'POST', url: '/user/auth/login', payload: owner });
    const mfaToken = (password.json() as { mfaToken: string }).mfaToken;
    const finished = await this.send('AuthController_mfa', { live: { mfaToken, code: codes[0] } });
    owner = { ...owner, accessToken: String(finished.accessToken) };
    await this.send('MfaController_disable', { client: owner, live: { code: codes[1] } });

    await this.send('MfaController_setup', { client: owner });
    const again = (await this.send('MfaController_setup', { client: owner })) as { secret: string };
    nextMidStep(this.clock);
    await this.send('MfaController_enable', { client: owner, live: { code: codeFor(again.secret, this.clock) } });
    await this.send('MfaAdminController_reset', { client: adminClient, path: { id: owner.userId } });
  }

  /** The admin's routes, the sign-outs and the account deletion, each on an account of its own. */
  async administrationAndExits(adminClient: SignedInClient): Promise<void> {
    await this.send('AdminUsersController_list', { client: adminClient });
    await this.send('AdminAuditController_list', { client: adminClient });
    const victim = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('AdminUsersController_update', { client: adminClient, path: { id: victim.userId } });
    await this.send('AdminUsersController_delete', { client: adminClient, path: { id: victim.userId } });
    const banned = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('BansController_ban', { client: adminClient, path: { id: banned.userId } });
    await this.send('BansController_lift', { client: adminClient, path: { id: banned.userId } });
    const supported = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('ImpersonationController_impersonate', { client: adminClient, path: { id: supported.userId } });

    const leaving = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('AuthController_logout', { client: leaving, live: { refreshToken: leaving.refreshToken } });
    const everywhere = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('AuthController_logoutAll', { client: everywhere });
    const deleting = await registerAndLoginWith(this.app, STRONG_PASSWORD);
    await this.send('AccountController_deleteAccount', { client: deleting });
  }

  /**
   * Sign-in through the test OpenID provider: the list, the authorize redirect (with its flow cookie),
   * the provider's scripted login, and the callback's redirect, signed in.
   */
  async openIdProvider(provider: OidcTestProvider, providerId: string, callbackPrefix: string): Promise<void> {
    await this.send('OidcProvidersController_list');
    provider.next = { sub: randomUUID(), email: `oidc-${randomUUID()}@example.com`, email_verified: true };
    await this.send('OidcSignInController_authorize', { path: { provider: providerId }, status: 302 });
    const started = this.last!;
    const flow = cookieValue(started, 'oidc_flow') ?? '';
    const back = await followProvider(String(started.headers.location), callbackPrefix);
    await this.send('OidcSignInController_callback', {
      path: { provider: providerId },
      query: [...back.searchParams],
      headers: { cookie: `oidc_flow=${flow}` },
      status: 302,
    });
    const accessToken = cookieValue(this.last!, 'user_session');
    if (!accessToken) {
      this.failures.push(`the OpenID callback signed nobody in: ${String(this.last?.headers.location)}`);
      return;
    }
    // The account the provider created links a second identity, lists both and unlinks one.
    const client = { ...signedInClient({}), accessToken };
    provider.next = { sub: randomUUID(), email: `oidc-${randomUUID()}@example.com`, email_verified: true };
    const link = await this.send('IdentitiesController_link', { client, path: { provider: providerId } });
    const linkFlow = cookieValue(this.last!, 'oidc_flow') ?? '';
    const linked = await followProvider(String(link.authorizationUrl), callbackPrefix);
    await this.send('OidcSignInController_callback', {
      path: { provider: providerId },
      query: [...linked.searchParams],
      headers: { cookie: `oidc_flow=${linkFlow}` },
      status: 302,
    });
    const identities = (await this.send('IdentitiesController_list', { client })) as unknown as Json[];
    const second = Array.isArray(identities) ? identities[1] : undefined;
    await this.send('IdentitiesController_unlink', { client, path: { id: String(second?.id ?? NOWHERE) } });
  }

  /** The operations that take nothing: health, metrics. */
  async probes(): Promise<void> {
    for (const operation of this.operations.values()) {
      if (operation.secured || operation.body || operation.pathParameters.length > 0) continue;
      if (operation.method === 'GET' && !operation.path.startsWith('/user')) await this.send(operation.id);
    }
  }
}

function readDeliveredMail(logDir: string): { to: string; purpose: string; link: string }[] {
  const path = join(logDir, 'mail.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { to: string; purpose: string; link: string });
}

/** The tokens and ids of a sign-in answer, as a client keeps them. */
function signedInClient(answer: Json): SignedInClient {
  const user = (answer.user ?? {}) as Json;
  return {
    email: String(user.email),
    password: '',
    userId: String(user.id),
    accessToken: String(answer.accessToken),
    refreshToken: String(answer.refreshToken),
    sessionCookie: '',
    refreshCookie: '',
  };
}

async function registerAndLoginWith(app: NestFastifyApplication, password: string): Promise<SignedInClient> {
  return login(app, await register(app, { password }));
}
