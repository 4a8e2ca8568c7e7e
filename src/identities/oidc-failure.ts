/** The `error=` codes the callback redirects with (API.md, "Sign-in with OpenID Connect providers"). */
export const OIDC_ERROR_CODES = [
  'invalid_request',
  'access_denied',
  'provider_unavailable',
  'account_exists',
  'email_not_verified',
  'account_disabled',
  'account_banned',
  'identity_in_use',
] as const;

export type OidcErrorCode = (typeof OIDC_ERROR_CODES)[number];

/**
 * A provider flow that ends without signing in: the callback turns it into a 302 to returnTo with
 * `?error=<code>`. `reason` is for the security log only (never a token or a code).
 */
export class OidcFailure extends Error {
  constructor(
    readonly code: OidcErrorCode,
    readonly reason: string,
    /** Where to send the browser, once the flow is known; else FRONTEND_URL's `/`. */
    readonly returnTo?: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'OidcFailure';
  }

  /** The same failure, now that the flow (and so its returnTo) is known. */
  at(returnTo: string): OidcFailure {
    return this.returnTo ? this : new OidcFailure(this.code, this.reason, returnTo);
  }
}
