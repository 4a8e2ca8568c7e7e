import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app.config';
import { OidcProviderSetting } from '../config/oidc.config';
import { OidcCallbackParameters } from './dto/oidc.dto';
import { OidcFlow, OidcFlowPurpose } from './entities/oidc-flow.entity';
import { OidcFailure } from './oidc-failure';
import { OidcFlowRepository } from './oidc-flow.repository';
import { OidcProviders } from './oidc-providers';

/** A flow lives 10 minutes (API.md). */
export const FLOW_LIFETIME_MS = 10 * 60 * 1000;

export interface FlowRequest {
  returnTo: string;
  purpose: OidcFlowPurpose;
  userId?: string;
  sessionId?: string;
}

export interface StartedFlow {
  authorizationUrl: string;
  /** The value of the `oidc_flow` cookie that binds the flow to this browser. */
  browserBinding: string;
}

/** A completed exchange: the flow it belonged to and the verified ID token's claims. */
export interface FinishedFlow {
  flow: OidcFlow;
  claims: client.IDToken;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The authorization-code flow with PKCE (S256), state and nonce: `begin` stores the flow and builds the
 * provider's URL; `finish` takes the flow once (whatever the outcome), checks it belongs to this browser
 * and has not expired, then lets openid-client exchange the code and verify the ID token (signature,
 * iss, aud, exp, nonce).
 */
@Injectable()
export class OidcFlows {
  constructor(
    private readonly providers: OidcProviders,
    private readonly flows: OidcFlowRepository,
    private readonly app: AppConfig,
    private readonly clock: Clock,
  ) {}

  async begin(provider: OidcProviderSetting, request: FlowRequest, extra: Record<string, string> = {}) {
    const configuration = await this.providers.configuration(provider);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const browserBinding = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    // Abandoned flows are swept by whoever starts one (an indexed delete), as for passkey challenges.
    await this.flows.sweep(now);
    await this.flows.insert(
      Object.assign(new OidcFlow(), {
        state,
        browserBinding: sha256(browserBinding),
        provider: provider.id,
        nonce,
        codeVerifier,
        returnTo: request.returnTo,
        purpose: request.purpose,
        userId: request.userId ?? null,
        sessionId: request.sessionId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + FLOW_LIFETIME_MS),
      }),
    );
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider),
      scope: provider.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    return { authorizationUrl: url.href, browserBinding } satisfies StartedFlow;
  }

  async finish(
    provider: OidcProviderSetting,
    parameters: OidcCallbackParameters,
    browserBinding: string | undefined,
  ): Promise<FinishedFlow> {
    if (!parameters.state) throw new OidcFailure('invalid_request', 'no state');
    const flow = await this.flows.take(parameters.state);
    if (!flow) throw new OidcFailure('invalid_request', 'unknown or spent state');
    const failed = (code: 'invalid_request' | 'access_denied', reason: string) =>
      new OidcFailure(code, reason, flow.returnTo);
    if (flow.provider !== provider.id) throw failed('invalid_request', 'state of another provider');
    if (flow.expiresAt.getTime() <= this.clock.now().getTime()) throw failed('invalid_request', 'expired state');
    if (!browserBinding || !sameText(sha256(browserBinding), flow.browserBinding))
      throw failed('invalid_request', 'flow cookie missing or foreign');
    if (parameters.error) throw failed('access_denied', `provider error ${parameters.error.slice(0, 64)}`);
    if (!parameters.code) throw failed('invalid_request', 'no code');
    try {
      const configuration = await this.providers.configuration(provider);
      client.enableNonRepudiationChecks(configuration);
      const tokens = await client.authorizationCodeGrant(configuration, this.currentUrl(provider, parameters), {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
        ...(flow.purpose === 'reauth' ? { maxAge: 0 } : {}),
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcFailure('invalid_request', 'no ID token');
      return { flow, claims };
    } catch (error) {
      throw exchangeFailure(error).at(flow.returnTo);
    }
  }

  /** The callback's own URL, as registered at the provider. */
  redirectUri(provider: OidcProviderSetting): string {
    const base = (this.app.appUrl ?? this.app.origin).replace(/\/+$/, '');
    return `${base}/user/auth/oidc/${provider.id}/callback`;
  }

  private currentUrl(provider: OidcProviderSetting, parameters: OidcCallbackParameters): URL {
    const url = new URL(this.redirectUri(provider));
    for (const name of ['code', 'state', 'iss'] as const) {
      const value = parameters[name];
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return url;
  }
}

/** A network failure or the provider's 5xx: unavailable; anything else did not verify. */
function exchangeFailure(error: unknown): OidcFailure {
  if (error instanceof OidcFailure) return error;
  if (error instanceof TypeError || (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError')
    return new OidcFailure('provider_unavailable', `token request failed: ${(error as Error).message}`);
  if (error instanceof client.ResponseBodyError && error.status >= 500)
    return new OidcFailure('provider_unavailable', `token endpoint answered ${error.status}`);
  // openid-client wraps oauth4webapi's error, which says what failed: the claim (nonce, aud, iss, exp…)
  // or its own message (a signature that does not verify).
  const cause = (error as { cause?: { message?: unknown; cause?: { claim?: unknown } } }).cause;
  const what = cause?.cause?.claim ?? cause?.message;
  const named = typeof what === 'string' ? ` (${what})` : '';
  return new OidcFailure('invalid_request', `exchange refused: ${(error as Error).message}${named}`.slice(0, 300));
}
