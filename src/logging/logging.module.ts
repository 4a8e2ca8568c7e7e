import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { LoggingConfig } from '../config/logging.config';
import { LogFiles } from './log-files';
import { RequestLines } from './request-lines';
import { createRootLogger } from './root-logger';

/** The root pino logger, shared by Nest's logger, the request log and nothing per request. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Global()
@Module({
  providers: [
    LogFiles,
    {
      provide: ROOT_LOGGER,
      inject: [LogFiles, LoggingConfig],
      useFactory: createRootLogger,
    },
    RequestLines,
  ],
  exports: [LogFiles, ROOT_LOGGER, RequestLines],
})
class LogFilesModule {}

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogFilesModule],
      inject: [ROOT_LOGGER],
      // Nest's own log lines go through nestjs-pino, their context named `logger` as in the original;
      // its per-request middleware is not mounted (forRoutes: []): RequestLines is far cheaper.
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [], renameContext: 'logger' }),
    }),
    LogFilesModule,
  ],
  exports: [LoggerModule, LogFilesModule],
})
export class LoggingModule {}
