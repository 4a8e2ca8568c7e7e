/**
 * Secrets never reach a log line: whole headers that carry them are left out by the serializers, and
 * these paths are censored wherever a caller logs an object holding them.
 */
export const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authorization',
  '*.cookie',
  // A failed query's values (hashes, mail bodies with links) and text stay out of the logs.
  'err.parameters',
  'err.query',
  '*.parameters',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const SECRET_QUERY = /([?&](?:token|access_token|refresh_token|code)=)[^&#]*/gi;

/** The URL as logged: query parameters that carry secrets are censored. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[REDACTED]');
}
