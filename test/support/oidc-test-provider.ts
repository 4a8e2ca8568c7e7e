import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import * as jose from 'jose';

/** Who the next scripted login at the provider is, and what it says of them. */
export interface ProviderAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
}

/** A change made to the ID token after the provider signed it: claims replaced, or another key. */
export interface IdTokenForgery {
  claims?: Record<string, unknown>;
  otherKey?: boolean;
}

export const CLIENT_ID = 'clickbit-test';
export const CLIENT_SECRET = 'a-client-secret-for-tests-only';
/** The service's APP_URL and FRONTEND_URL in the OpenID tests, and where its callbacks live. */
export const OIDC_APP_URL = 'http://localhost:8000';
export const OIDC_FRONTEND = 'https://app.example.com';
export const CALLBACKS = `${OIDC_APP_URL}/user/auth/oidc/`;

type ProviderInstance = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, unknown> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: unknown, options?: unknown): Promise<void>;
  Grant: new (properties: { accountId: string; clientId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
};

function privateJwk(key: KeyObject, kid: string): Record<string, unknown> {
  return { ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

/**
 * A real OpenID provider (panva's oidc-provider) on a loopback port, whose login is scripted: the next
 * browser that reaches its interaction step is signed in as `next` (or refused with access_denied when
 * `next` is 'deny'), and consents at once. A `forgery` re-signs the ID token its token endpoint answers.
 */
export class OidcTestProvider {
  next: ProviderAccount | 'deny' = { sub: 'nobody' };
  forgery?: IdTokenForgery;
  private server?: Server;
  private readonly accounts = new Map<string, ProviderAccount>();
  private readonly signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  private readonly otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  issuer = '';

  async start(redirectUris: string[]): Promise<void> {
    const { default: Provider } = (await import('oidc-provider')) as unknown as {
      default: new (issuer: string, configuration: unknown) => ProviderInstance;
    };
    this.server = createServer();
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: redirectUris,
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      jwks: { keys: [privateJwk(this.signingKey, 'test-key')] },
      cookies: { keys: ['a-cookie-key-for-tests-only'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
      conformIdTokenClaims: false,
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, id: string) => {
        const account = this.accounts.get(id);
        return account ? { accountId: id, claims: () => ({ ...account }) } : undefined;
      },
    });
    const handle = provider.callback();
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/interaction/')) return void this.interact(provider, req, res);
      if (req.url?.startsWith('/token') && this.forgery) this.forgeIdToken(res);
      handle(req, res);
    });
  }

  /** An OIDC_PROVIDERS entry for this provider, under the given id. */
  setting(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id, name, issuer: this.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async interact(provider: ProviderInstance, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const details = await provider.interactionDetails(req, res);
      const next = this.next;
      if (next === 'deny') {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'refused' });
        return;
      }
      this.accounts.set(next.sub, next);
      const grant = new provider.Grant({ accountId: next.sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: next.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  }

  /** Replaces the token endpoint's answer by one whose ID token carries the forged claims or key. */
  private forgeIdToken(res: ServerResponse): void {
    const forgery = this.forgery!;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    const signingKey = forgery.otherKey ? this.otherKey : this.signingKey;
    res.end = ((chunk?: unknown) => {
      void (async () => {
        const body = JSON.parse(String(chunk)) as { id_token?: string };
        if (body.id_token) {
          const claims = { ...jose.decodeJwt(body.id_token), ...forgery.claims };
          body.id_token = await new jose.SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
            .sign(signingKey);
        }
        const text = JSON.stringify(body);
        res.setHeader('content-length', Buffer.byteLength(text));
        end(text);
      })();
      return res;
    }) as typeof res.end;
  }
}

/**
 * A browser at the provider: follows the provider's redirects with its cookies until the provider sends
 * it back to the service (`redirectPrefix`), and returns that URL.
 */
export async function followProvider(authorizationUrl: string, redirectPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectPrefix)) return new URL(url);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider answered ${res.status} at ${url}: ${await res.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the provider');
}
