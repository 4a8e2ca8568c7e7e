import { INestApplication, Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Exit codes a supervisor can tell apart: clean, forced by the timeout, cut short by a second signal. */
export const EXIT_CLEAN = 0;
export const EXIT_SHUTDOWN_FAILED = 1;
export const EXIT_SECOND_SIGNAL = 130;

/** After a clean close, how long stdout may take to drain before the process exits regardless. */
const DRAIN_GRACE_MS = 200;

export interface GracefulShutdownOptions {
  timeoutMs: number;
  exit?: (code: number) => never | void;
}

/**
 * On SIGTERM or SIGINT: readiness turns 503 at once, app.close() stops accepting connections, lets
 * in-flight requests finish, then closes the database pool and Redis (their modules' shutdown hooks),
 * and the process exits 0. Past timeoutMs, or on a second signal, it exits at once.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const state = app.get(ShutdownState);
  // The log files are closed by app.close(): anything said after it starts goes to stderr.
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  let started = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) {
      say(`${signal} received again: exiting without waiting for shutdown`);
      exit(EXIT_SECOND_SIGNAL);
      return;
    }
    started = true;
    state.begin();
    const began = Date.now();
    new Logger('Shutdown').log(`${signal} received: draining in-flight requests (at most ${options.timeoutMs} ms)`);
    // Unref'd so that it never holds the process open by itself once everything else has closed.
    setTimeout(() => {
      say(`shutdown did not finish within ${options.timeoutMs} ms: exiting anyway`);
      exit(EXIT_SHUTDOWN_FAILED);
    }, options.timeoutMs).unref();
    app.close().then(
      () => {
        say(`shutdown complete in ${Date.now() - began} ms`);
        // Exit as soon as nothing is left to flush; a handle that lingers cannot hold the process.
        process.exitCode = EXIT_CLEAN;
        setTimeout(() => exit(EXIT_CLEAN), DRAIN_GRACE_MS).unref();
      },
      (error: unknown) => {
        say(`shutdown failed: ${(error as Error).message ?? String(error)}`);
        exit(EXIT_SHUTDOWN_FAILED);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
