import { SecretKeys } from '../common/secrets/secret-cipher';
import {
  BoolSetting,
  ChoiceSetting,
  IntSetting,
  OptionalStringSetting,
  ParsedSetting,
  StringSetting,
} from './setting.decorators';

/** Asymmetric first: the service's own key pairs, published at /.well-known/jwks.json. */
export const ASYMMETRIC_ALGORITHMS = ['ES256', 'RS256'] as const;
/** The original's family: SECRET_KEY signs, no key is published. */
export const SYMMETRIC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const JWT_ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, ...SYMMETRIC_ALGORITHMS] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export function isAsymmetric(algorithm: JwtAlgorithm): algorithm is AsymmetricAlgorithm {
  return (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm);
}

/** SECRET_KEY_PREVIOUS: comma-separated earlier values of SECRET_KEY, still read, never written with. */
function parsePreviousKeys(raw: string | undefined): string[] | Error {
  const keys = (raw ?? '').split(',').map((key) => key.trim());
  if (raw === undefined) return [];
  if (keys.some((key) => key.length < 16))
    return new Error('must list keys of at least 16 characters, comma-separated');
  return keys;
}

/** The original service's cookie names, kept so that existing clients keep working. */
export const SESSION_COOKIE = 'user_session';
export const REFRESH_COOKIE = 'user_refresh';

export class AuthConfig implements SecretKeys {
  /** Filled from DATA_DIR in development and test when unset (see secret-key.ts). */
  @OptionalStringSetting('SECRET_KEY') secretKey?: string;
  @ParsedSetting('SECRET_KEY_PREVIOUS', parsePreviousKeys) secretKeyPrevious!: string[];
  @ChoiceSetting('ALGORITHM', 'ES256', JWT_ALGORITHMS, { normalise: (raw) => raw.toUpperCase() })
  algorithm!: JwtAlgorithm;
  /** How long a signing key signs before the published next key takes over. */
  @IntSetting('KEY_ROTATION_DAYS', 30, 1, 3650) keyRotationDays!: number;
  /** Cache-Control max-age of the JWKS; a next key is published at least twice this long before it signs. */
  @IntSetting('JWKS_MAX_AGE_SECONDS', 300, 0, 86400) jwksMaxAgeSeconds!: number;
  @StringSetting('JWT_ISSUER', 'clickbit-api') jwtIssuer!: string;
  @StringSetting('JWT_AUDIENCE', 'clickbit-api') jwtAudience!: string;
  @IntSetting('ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 1440) accessTokenExpireMinutes!: number;
  @IntSetting('REFRESH_TOKEN_EXPIRE_DAYS', 7, 1, 365) refreshTokenExpireDays!: number;
  @IntSetting('SESSION_MAX_DAYS', 30, 1, 3650) sessionMaxDays!: number;
  /** 0 = off; else a session whose refresh token went unused this long cannot be refreshed. */
  @IntSetting('SESSION_IDLE_MINUTES', 0, 0, 525600) sessionIdleMinutes!: number;
  /** How old a session's last proof of identity may be for the routes that add or remove a way in. */
  @IntSetting('REAUTH_MAX_AGE_SECONDS', 300, 1, 86400) reauthMaxAgeSeconds!: number;
  /** The longest life of an administrator's impersonation token (no refresh token: it ends then). */
  @IntSetting('IMPERSONATION_MINUTES', 15, 1, 1440) impersonationMinutes!: number;
  @BoolSetting('COOKIE_PREFIX', false) cookiePrefix!: boolean;
  @IntSetting('BCRYPT_ROUNDS', 12, 4, 15) bcryptRounds!: number;
  @StringSetting('PASSWORD_PEPPER', '') passwordPepper!: string;
  @IntSetting('PASSWORD_MIN_SCORE', 2, 0, 4) passwordMinScore!: number;
  @BoolSetting('REQUIRE_EMAIL_VERIFICATION', false) requireEmailVerification!: boolean;

  /** The session cookie's name in force: the original's, or its __Host- form with COOKIE_PREFIX. */
  get sessionCookieName(): string {
    return this.cookiePrefix ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
  }

  /** The refresh cookie's name in force: the original's, or its __Secure- form with COOKIE_PREFIX. */
  get refreshCookieName(): string {
    return this.cookiePrefix ? `__Secure-${REFRESH_COOKIE}` : REFRESH_COOKIE;
  }
}
