import { Injectable } from '@nestjs/common';
import pino, { Logger, StreamEntry } from 'pino';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from '../logging/log-files';
import { ORIGINAL_LOG_FORMAT } from '../logging/log-format';
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
  | 'password_reset'
  | 'mfa_setup_started'
  | 'mfa_enabled'
  | 'mfa_disabled'
  | 'mfa_recovery_codes_regenerated'
  | 'mfa_challenge_issued'
  | 'mfa_failed'
  | 'reauth_failed'
  | 'mfa_succeeded'
  | 'mfa_reset'
  | 'passkey_added'
  | 'passkey_renamed'
  | 'passkey_removed'
  | 'passkey_signed_in'
  | 'passkey_sign_in_failed'
  | 'passkey_counter_regressed'
  | 'reauthenticated'
  | 'reauth_failed'
  | 'account_secured';

/**
 * An event's fields, in the original's snake_case names (`ip_address`, `user_id`, `email`, `success`);
 * camelCase spellings of them are refused, so that no call site writes a field the log pipelines miss.
 */
export interface SecurityDetails {
  email?: string;
  success?: boolean;
  ip_address?: string;
  user_id?: string;
  ip?: never;
  userId?: never;
  sessionId?: never;
  requestId?: never;
  [field: string]: unknown;
}

/** The message of an event's line, in the original's words where it had them. */
function messageFor(event: SecurityEvent, details: SecurityDetails): string {
  if (event === 'auth_attempt') return `Authentication attempt: ${details.success ? 'success' : 'failure'}`;
  return `Security event: ${event}`;
}

/**
 * The security log: every event goes to LOG_DIR/security.log whatever LOG_LEVEL, and is copied to
 * app.log and stdout when LOG_LEVEL lets it through, one JSON line each in the original's fields.
 */
@Injectable()
export class SecurityLogger {
  private readonly logger: Logger;

  constructor(files: LogFiles, config: LoggingConfig) {
    const streams: StreamEntry[] = [{ level: 'info', stream: files.security }];
    if (config.level !== 'silent') {
      streams.push({ level: config.level, stream: files.app });
      if (files.stdout) streams.push({ level: config.level, stream: files.stdout.stream });
    }
    this.logger = pino(
      {
        ...ORIGINAL_LOG_FORMAT,
        base: { logger: 'security' },
        level: 'info',
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        mixin: requestIdMixin,
      },
      pino.multistream(streams),
    );
  }

  event(event: SecurityEvent, details: SecurityDetails = {}): void {
    this.logger.info({ event_type: event, ...details }, messageFor(event, details));
  }

  warn(event: SecurityEvent, details: SecurityDetails = {}): void {
    this.logger.warn({ event_type: event, ...details }, messageFor(event, details));
  }
}
