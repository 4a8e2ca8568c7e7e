import { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/app.config';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from './log-files';
import { REDACTED_PATHS, redactUrl } from './redaction';
import { stdoutStream } from './stdout-stream';

/** What the HTTP layer leaves on the raw request for the request log line. */
export interface RequestLogContext {
  id?: string;
  routeTemplate?: string;
  userId?: string;
}

type LoggedRequest = IncomingMessage & RequestLogContext;

@Global()
@Module({ providers: [LogFiles], exports: [LogFiles] })
class LogFilesModule {}

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogFilesModule],
      inject: [LogFiles, LoggingConfig, AppConfig],
      useFactory: (files: LogFiles, config: LoggingConfig, app: AppConfig) => {
        const level = config.level === 'silent' ? 'fatal' : config.level;
        const streams = pino.multistream([
          ...(config.stdout ? [{ level, stream: stdoutStream(app.debug) }] : []),
          { level, stream: files.app },
          { level: 'error' as const, stream: files.error },
        ]);
        const logger = pino(
          {
            level: config.level,
            base: { service: app.appName, env: app.environment },
            timestamp: pino.stdTimeFunctions.isoTime,
            redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
          },
          streams,
        );
        return {
          pinoHttp: {
            logger,
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'requestId' },
            customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            customProps: (req: IncomingMessage) => {
              const logged = req as LoggedRequest;
              return { route: logged.routeTemplate, userId: logged.userId };
            },
            serializers: {
              req: (req: { method: string; url: string; remoteAddress?: string; headers: Record<string, string> }) => ({
                method: req.method,
                url: redactUrl(req.url),
                remoteAddress: req.remoteAddress,
                userAgent: req.headers['user-agent'],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        };
      },
    }),
  ],
  exports: [LoggerModule],
})
export class LoggingModule {}
