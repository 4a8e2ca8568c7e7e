import { DestinationStream } from 'pino';

/** Pretty lines for a developer at a terminal with DEBUG on; JSON lines everywhere else. */
export function stdoutStream(debug: boolean): DestinationStream {
  if (debug && process.stdout.isTTY) {
    // pino-pretty is loaded only when it is used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:standard' });
  }
  return process.stdout;
}
