import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { OidcProviderSetting } from '../config/oidc.config';
import { ProblemException } from '../common/problem-details/problem.exception';
import { SignedInCaller } from '../users/authenticated-user';
import { OidcFailure } from './oidc-failure';
import { OidcFlows, StartedFlow } from './oidc-flows';
import { OidcProviders } from './oidc-providers';
import { resolveReturnTo } from './return-to';

/** FRONTEND_URL's `/`, where a flow whose own returnTo is unknown ends. */
export function defaultReturnTo(app: AppConfig): string {
  return new URL('/', app.frontendUrl ?? app.appUrl ?? app.origin).href;
}

/** `url` with `error=<code>` added to its query. */
export function withError(url: string, code: string): string {
  const target = new URL(url);
  target.searchParams.set('error', code);
  return target.href;
}

/**
 * The authorize step: the provider (404 when unknown), the returnTo (400 when refused), then the flow.
 * A provider that cannot be reached answers a redirect to returnTo with `error=provider_unavailable`.
 */
@Injectable()
export class OidcSignInStart {
  constructor(
    private readonly providers: OidcProviders,
    private readonly flows: OidcFlows,
    private readonly app: AppConfig,
  ) {}

  provider(id: string): OidcProviderSetting {
    const provider = this.providers.find(id);
    if (!provider) throw new ProblemException(404, 'No OpenID provider with this id');
    return provider;
  }

  returnTo(raw: string | undefined): string {
    const base = this.app.frontendUrl ?? this.app.appUrl ?? this.app.origin;
    const resolved = resolveReturnTo(raw, base, this.app.corsOrigins);
    if (!resolved)
      throw new ProblemException(400, 'returnTo must be a path or a URL on FRONTEND_URL or a CORS_ORIGINS origin', [
        { field: 'returnTo', message: 'returnTo must be a path or a URL on FRONTEND_URL or a CORS_ORIGINS origin' },
      ]);
    return resolved;
  }

  /** A link flow for the caller's session; a provider that cannot be reached: 503 (the caller is an API client). */
  async link(caller: SignedInCaller, id: string): Promise<StartedFlow> {
    const provider = this.provider(id);
    try {
      return await this.flows.begin(provider, {
        returnTo: defaultReturnTo(this.app),
        purpose: 'link',
        userId: caller.user.id,
        sessionId: caller.sessionId,
      });
    } catch (error) {
      if (error instanceof OidcFailure && error.code === 'provider_unavailable')
        throw new ProblemException(503, 'The provider cannot be reached; try again later');
      throw error;
    }
  }

  /**
   * A reauthentication of the caller's session through a provider: a fresh login there (prompt=login,
   * max_age=0); the callback accepts only an identity linked to the caller.
   */
  async reauth(
    caller: SignedInCaller,
    id: string,
    rawReturnTo: string | undefined,
  ): Promise<StartedFlow | { unavailable: string }> {
    const provider = this.provider(id);
    const returnTo = this.returnTo(rawReturnTo);
    const request = { returnTo, purpose: 'reauth' as const, userId: caller.user.id, sessionId: caller.sessionId };
    return this.started(() => this.flows.begin(provider, request, { prompt: 'login', max_age: '0' }), returnTo);
  }

  /** The provider's URL and the cookie value, or where to send the browser when the provider is down. */
  async signIn(id: string, rawReturnTo: string | undefined): Promise<StartedFlow | { unavailable: string }> {
    const provider = this.provider(id);
    const returnTo = this.returnTo(rawReturnTo);
    return this.started(() => this.flows.begin(provider, { returnTo, purpose: 'sign-in' }), returnTo);
  }

  private async started(
    begin: () => Promise<StartedFlow>,
    returnTo: string,
  ): Promise<StartedFlow | { unavailable: string }> {
    try {
      return await begin();
    } catch (error) {
      if (error instanceof OidcFailure && error.code === 'provider_unavailable')
        return { unavailable: withError(returnTo, 'provider_unavailable') };
      throw error;
    }
  }
}
