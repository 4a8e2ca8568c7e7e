import { Settings } from './settings';

/** Settings a production instance may run without, but should not: one line each, logged at start. */
export function productionWarnings(settings: Settings): string[] {
  if (!settings.app.isProduction) return [];
  const warnings: string[] = [];
  if (!settings.app.metricsToken) {
    warnings.push('METRICS_TOKEN is unset: /metrics and the detailed health routes are open to anyone');
  }
  if (!settings.auth.cookiePrefix) {
    warnings.push('COOKIE_PREFIX is false: the session cookies lack the __Host-/__Secure- protection');
  }
  if (!settings.mail.smtpUrl) {
    warnings.push('SMTP_URL is unset: no mail is sent; verification and reset requests answer 503');
  }
  return warnings;
}
