import { BoolSetting, ChoiceSetting, IntSetting, OptionalStringSetting, StringSetting } from './setting.decorators';

export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** The original service's cookie names, kept so that existing clients keep working. */
export const SESSION_COOKIE = 'user_session';
export const REFRESH_COOKIE = 'user_refresh';

export class AuthConfig {
  /** Filled from DATA_DIR in development and test when unset (see secret-key.ts). */
  @OptionalStringSetting('SECRET_KEY') secretKey?: string;
  @ChoiceSetting('ALGORITHM', 'HS256', JWT_ALGORITHMS, { normalise: (raw) => raw.toUpperCase() })
  algorithm!: JwtAlgorithm;
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
