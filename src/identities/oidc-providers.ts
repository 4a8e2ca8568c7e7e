import { Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { Clock } from '../common/clock';
import { OidcConfig, OidcProviderSetting } from '../config/oidc.config';
import { OidcFailure } from './oidc-failure';

/** How long discovery may take before the provider counts as unavailable. */
const DISCOVERY_TIMEOUT_SECONDS = 5;

/**
 * The configured providers and their discovery documents: each document is read on first use and
 * kept for the life of the process (a failed read is not kept, so the next use tries again).
 */
@Injectable()
export class OidcProviders {
  private readonly discovered = new Map<string, Promise<client.ServerMetadata>>();

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
  ) {}

  list(): OidcProviderSetting[] {
    return this.config.providers;
  }

  find(id: string): OidcProviderSetting | undefined {
    return this.config.provider(id);
  }

  /**
   * An openid-client configuration for one exchange. Built per use from the cached document, so that
   * the ID token's times are judged by the service's Clock (openid-client's clock skew).
   */
  async configuration(provider: OidcProviderSetting): Promise<client.Configuration> {
    const server = await this.serverMetadata(provider);
    const skew = Math.round((Date.now() - this.clock.now().getTime()) / 1000);
    const configuration = new client.Configuration(server, provider.clientId, {
      ...(provider.clientSecret ? { client_secret: provider.clientSecret } : {}),
      [client.clockSkew]: skew,
    });
    if (isInsecureIssuer(provider)) client.allowInsecureRequests(configuration);
    configuration.timeout = DISCOVERY_TIMEOUT_SECONDS;
    return configuration;
  }

  private serverMetadata(provider: OidcProviderSetting): Promise<client.ServerMetadata> {
    let pending = this.discovered.get(provider.id);
    if (!pending) {
      pending = this.discover(provider);
      this.discovered.set(provider.id, pending);
      pending.catch(() => this.discovered.delete(provider.id));
    }
    return pending;
  }

  private async discover(provider: OidcProviderSetting): Promise<client.ServerMetadata> {
    try {
      const configuration = await client.discovery(new URL(provider.issuer), provider.clientId, undefined, undefined, {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        ...(isInsecureIssuer(provider) ? { execute: [client.allowInsecureRequests] } : {}),
      });
      return configuration.serverMetadata();
    } catch (error) {
      throw new OidcFailure('provider_unavailable', `discovery failed: ${(error as Error).message}`);
    }
  }
}

/** http is accepted only for a loopback issuer (validated at start). */
function isInsecureIssuer(provider: OidcProviderSetting): boolean {
  return new URL(provider.issuer).protocol === 'http:';
}
