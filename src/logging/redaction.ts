/** Keys that hold secrets, under the API's camelCase names and the log lines' snake_case ones. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'new_password',
  'current_password',
  'password_hash',
  'access_token',
  'refresh_token',
  'code',
  'recovery_code',
  'recoveryCode',
  'secret',
  'mfaToken',
  'mfa_token',
  'recoveryCodes',
  'recovery_codes',
  'otpauthUrl',
];

/**
 * Secrets never reach a log line: whole headers that carry them are left out by the serializers, and
 * these paths are censored wherever a caller logs an object holding them.
 */
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.filter((key) => key !== 'code').map((key) => `*.${key}`),
  // A failed query's values (hashes, mail bodies with links) and text stay out of the logs.
  'err.parameters',
  'err.query',
  '*.parameters',
  'req.headers.authorization',
  'req.headers.cookie',
  '["set-cookie"]',
  'res.headers["set-cookie"]',
];
