import pino, { Logger } from 'pino';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from './log-files';
import { ORIGINAL_LOG_FORMAT } from './log-format';
import { REDACTED_PATHS } from './redaction';
import { appLoggerMixin } from './request-context';

/** The service's pino logger: stdout, app.log (LOG_LEVEL) and error.log (error and above). */
export function createRootLogger(files: LogFiles, config: LoggingConfig): Logger {
  const level = config.level === 'silent' ? 'fatal' : config.level;
  const streams = pino.multistream([
    ...(files.stdout ? [{ level, stream: files.stdout.stream }] : []),
    { level, stream: files.app },
    { level: 'error' as const, stream: files.error },
  ]);
  return pino(
    {
      ...ORIGINAL_LOG_FORMAT,
      level: config.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      mixin: appLoggerMixin,
    },
    streams,
  );
}
