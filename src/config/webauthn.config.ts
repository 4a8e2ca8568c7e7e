import { AppConfig, parseCorsOrigins } from './app.config';
import { OptionalStringSetting, ParsedSetting } from './setting.decorators';

/** Unset stays undefined (the default is derived from APP_URL and CORS_ORIGINS once those are read). */
function parseOptionalOrigins(raw: string | undefined): string[] | undefined | Error {
  return raw === undefined ? undefined : parseCorsOrigins(raw);
}

/**
 * The WebAuthn relying party. Its defaults follow other settings (APP_URL, APP_NAME, CORS_ORIGINS),
 * so loadSettings fills rpId, rpName and origins through resolveDefaults once every section is read.
 */
export class WebauthnConfig {
  @OptionalStringSetting(
    'WEBAUTHN_RP_ID',
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i,
    'must be a host name such as example.com (no scheme, port or path)',
  )
  rpIdSetting?: string;
  @OptionalStringSetting('WEBAUTHN_RP_NAME') rpNameSetting?: string;
  @ParsedSetting('WEBAUTHN_ORIGINS', parseOptionalOrigins) originsSetting?: string[];

  /** The relying party id: a browser accepts it on pages whose host is it or one of its subdomains. */
  rpId!: string;
  /** The name an authenticator shows when it creates the passkey. */
  rpName!: string;
  /** The page origins a ceremony may come from. */
  origins!: string[];

  resolveDefaults(app: AppConfig): void {
    this.rpId = (this.rpIdSetting ?? new URL(app.origin).hostname).toLowerCase();
    this.rpName = this.rpNameSetting ?? app.appName;
    this.origins = this.originsSetting ?? [...new Set([app.origin, ...app.corsOrigins])];
  }
}
