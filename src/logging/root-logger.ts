import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app.config';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from './log-files';
import { REDACTED_PATHS } from './redaction';
import { requestIdMixin } from './request-context';

/** The service's pino logger: stdout, app.log (LOG_LEVEL) and error.log (error and above). */
export function createRootLogger(files: LogFiles, config: LoggingConfig, app: AppConfig): Logger {
  const level = config.level === 'silent' ? 'fatal' : config.level;
  const streams = pino.multistream([
    ...(files.stdout ? [{ level, stream: files.stdout.stream }] : []),
    { level, stream: files.app },
    { level: 'error' as const, stream: files.error },
  ]);
  return pino(
    {
      level: config.level,
      base: { service: app.appName, env: app.environment },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      mixin: requestIdMixin,
    },
    streams,
  );
}
