import pino, { Logger } from 'pino';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from './log-files';
import { ORIGINAL_LOG_FORMAT } from './log-format';
import { REDACTED_PATHS } from './redaction';
import { appLoggerMixin } from './request-context';

/** Where the service's lines go: stdout (with LOG_STDOUT), app.log at LOG_LEVEL, error.log from error up. */
export function serviceStreams(files: LogFiles, config: LoggingConfig): pino.MultiStreamRes {
  const level = config.level === 'silent' ? 'fatal' : config.level;
  return pino.multistream([
    ...(files.stdout ? [{ level, stream: files.stdout.stream }] : []),
    { level, stream: files.app },
    { level: 'error' as const, stream: files.error },
  ]);
}

/** The service's pino logger: stdout, app.log (LOG_LEVEL) and error.log (error and above). */
export function createRootLogger(files: LogFiles, config: LoggingConfig): Logger {
  return pino(
    {
      ...ORIGINAL_LOG_FORMAT,
      level: config.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      mixin: appLoggerMixin,
    },
    serviceStreams(files, config),
  );
}
