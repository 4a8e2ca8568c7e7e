import { OptionalStringSetting } from './setting.decorators';

/** Second factors: the name authenticator apps show beside a TOTP entry. */
export class MfaConfig {
  /** Unset: APP_NAME (filled in by loadSettings). */
  @OptionalStringSetting('MFA_ISSUER') issuerSetting?: string;
  issuer!: string;
}
