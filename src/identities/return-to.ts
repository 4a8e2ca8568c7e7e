/** Backslashes and control characters: a browser reads `/\evil` as `//evil`, and strips tabs and newlines. */
const UNSAFE = /[\\\p{Cc}]/u;
/** A value that names a scheme must be an absolute URL: `https:evil` would resolve as a path on the base. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ABSOLUTE_HTTP = /^https?:\/\//i;

/**
 * Where a provider flow may send the browser back: `new URL(raw, FRONTEND_URL)`, accepted only when the
 * raw value holds no backslash or control character, the scheme is http(s), and the origin is
 * FRONTEND_URL's or one of CORS_ORIGINS exactly (so `//evil`, `https:evil`, `https://app@evil` and
 * `https://app.evil` all fail). Undefined: FRONTEND_URL's `/`. Returns the URL to redirect to, or
 * undefined when it is refused.
 */
export function resolveReturnTo(
  raw: string | undefined,
  frontendUrl: string,
  allowedOrigins: readonly string[],
): string | undefined {
  const base = new URL(frontendUrl);
  if (raw === undefined || raw === '') return new URL('/', base).href;
  if (UNSAFE.test(raw)) return undefined;
  if (SCHEME.test(raw) && !ABSOLUTE_HTTP.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.origin !== base.origin && !allowedOrigins.includes(url.origin)) return undefined;
  return url.href;
}
