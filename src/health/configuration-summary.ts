import { Settings } from '../config/settings';

/**
 * The settings an operator needs to see, picked one by one: a new setting (which may be a secret)
 * stays out until someone adds it here on purpose. SECRET_KEY, PASSWORD_PEPPER, ADMIN_PASSWORD and
 * METRICS_TOKEN are never included, nor any dependency's host, URL, database or user name: of the
 * database, Redis and SMTP only the kind and whether they are configured.
 */
export function configurationSummary(settings: Settings): Record<string, unknown> {
  const { app, database, auth, rateLimit, logging, mail, audit } = settings;
  return {
    app_name: app.appName,
    environment: app.environment,
    debug: app.debug,
    host: app.host,
    port: app.port,
    app_url: app.origin,
    trust_proxy: app.trustProxy,
    cors_origins: app.corsOrigins,
    body_limit_bytes: app.bodyLimitBytes,
    request_timeout_ms: app.requestTimeoutMs,
    shutdown_timeout_ms: app.shutdownTimeoutMs,
    docs_enabled: app.docsEnabled,
    metrics_token_required: Boolean(app.metricsToken),
    database: {
      kind: database.embedded ? 'embedded' : 'postgresql',
      pool_size: database.embedded ? 1 : database.poolSize,
      echo: database.echo,
    },
    redis: { configured: Boolean(rateLimit.redisUrl) },
    auth: {
      algorithm: auth.algorithm,
      access_token_expire_minutes: auth.accessTokenExpireMinutes,
      refresh_token_expire_days: auth.refreshTokenExpireDays,
      session_max_days: auth.sessionMaxDays,
      session_idle_minutes: auth.sessionIdleMinutes,
      cookie_prefix: auth.cookiePrefix,
      bcrypt_rounds: auth.bcryptRounds,
      password_min_score: auth.passwordMinScore,
      require_email_verification: auth.requireEmailVerification,
    },
    rate_limit: {
      enabled: rateLimit.enabled,
      requests: rateLimit.requests,
      window_seconds: rateLimit.window,
      auth_requests: rateLimit.authRequests,
      auth_window_seconds: rateLimit.authWindow,
      email_requests: rateLimit.emailRequests,
      email_window_seconds: rateLimit.emailWindow,
      lockout_threshold: rateLimit.lockoutThreshold,
      lockout_window_seconds: rateLimit.lockoutWindow,
      lockout_duration_seconds: rateLimit.lockoutDuration,
    },
    logging: { level: logging.level, dir: logging.dir, max_size: logging.maxSize, max_files: logging.maxFiles },
    mail: { smtp_configured: Boolean(mail.smtpUrl), mail_from: mail.mailFrom },
    audit: { retention_days: audit.retentionDays },
  };
}
