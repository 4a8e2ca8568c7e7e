import pino, { DestinationStream } from 'pino';
import { PRETTY_LEVELS } from './log-format';

export interface StdoutStream {
  stream: DestinationStream;
  /** Writes out what is buffered; safe to call on exit. */
  flush(): void;
}

/**
 * Pretty lines for a developer at a terminal with DEBUG on; JSON lines everywhere else, buffered up to
 * 4 KiB and written asynchronously (one write per line to a pipe or file cost an eighth of a simple
 * request's CPU time). Whatever is buffered is written out at shutdown and at exit.
 */
export function stdoutStream(debug: boolean): StdoutStream {
  if (debug && process.stdout.isTTY) {
    // pino-pretty is loaded only when it is used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    const options = {
      colorize: true,
      translateTime: 'SYS:standard',
      // The lines carry the original's field names, not pino's defaults.
      messageKey: 'message',
      timestampKey: 'timestamp',
      customLevels: PRETTY_LEVELS,
    };
    return { stream: pretty(options), flush: () => undefined };
  }
  // periodicFlush: on a quiet instance a line still shows within a quarter of a second.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
  const flush = (): void => {
    try {
      destination.flushSync();
    } catch {
      // not ready yet or already closed: nothing buffered to lose
    }
  };
  process.once('exit', flush);
  return { stream: destination, flush };
}
