import { Injectable } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app.config';
import { LogFiles } from '../logging/log-files';
import { REDACTED_PATHS } from '../logging/redaction';
import { requestIdMixin } from '../logging/request-context';

export type SecurityEvent =
  | 'auth_attempt'
  | 'token_rejected'
  | 'refresh_reuse'
  | 'account_locked'
  | 'rate_limited'
  | 'redis_unavailable'
  | 'redis_available'
  | 'password_changed'
  | 'logout'
  | 'logout_all'
  | 'session_revoked'
  | 'account_deleted'
  | 'admin_action'
  | 'verification_sent'
  | 'email_verified'
  | 'password_reset_requested'
  | 'password_reset';

/** The security log (LOG_DIR/security.log, also copied to app.log): one JSON line per event. */
@Injectable()
export class SecurityLogger {
  private readonly logger: Logger;

  constructor(files: LogFiles, app: AppConfig) {
    this.logger = pino(
      {
        base: { service: app.appName, env: app.environment, logger: 'security' },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        mixin: requestIdMixin,
      },
      pino.multistream([{ stream: files.security }, { stream: files.app }]),
    );
  }

  event(event: SecurityEvent, details: Record<string, unknown> = {}): void {
    this.logger.info({ event_type: event, ...details }, event);
  }

  warn(event: SecurityEvent, details: Record<string, unknown> = {}): void {
    this.logger.warn({ event_type: event, ...details }, event);
  }
}
