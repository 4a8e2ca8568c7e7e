import { Server } from 'node:net';
import { INestApplication, Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Exit codes a supervisor can tell apart: clean, forced by the timeout, cut short by a second signal. */
export const EXIT_CLEAN = 0;
export const EXIT_SHUTDOWN_FAILED = 1;
export const EXIT_SECOND_SIGNAL = 130;

/** After a clean close, how long stdout may take to drain before the process exits regardless. */
const DRAIN_GRACE_MS = 200;

/** Between closing the listener and closing idle connections: requests on just-accepted ones get read. */
const SETTLE_MS = 250;

export interface GracefulShutdownOptions {
  /** How long to go on serving (readiness 503, answers with Connection: close) before closing. */
  delayMs: number;
  timeoutMs: number;
  exit?: (code: number) => never | void;
}

/**
 * On SIGTERM or SIGINT: readiness turns 503 at once and, for delayMs, every request is still served,
 * each answer closing its connection, so proxies and keep-alive clients move to other instances. Then
 * app.close() stops accepting connections, lets in-flight requests finish, closes the database pool and
 * Redis (their modules' shutdown hooks), and the process exits 0. Past delayMs + timeoutMs, or on a
 * second signal, it exits at once.
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
    new Logger('Shutdown').log(
      `${signal} received: serving for ${options.delayMs} ms more, then draining in-flight requests ` +
        `(at most ${options.timeoutMs} ms)`,
    );
    // Not unref'd: the delay must run its course even when nothing else holds the process open.
    // setImmediate: closed right after a poll phase has accepted every connection already queued, since
    // the kernel resets those left in the listen queue.
    setTimeout(() => setImmediate(() => stopAccepting(began)), options.delayMs);
  };

  // Node's http close() also destroys every connection without a request in progress, including one
  // just accepted whose request is not yet read: that client would see a reset. So the listener is
  // closed first (plain net close), and idle connections only once those requests have been read.
  const stopAccepting = (began: number): void => {
    const server = app.getHttpServer() as Server;
    const listening = server.listening;
    if (listening) Server.prototype.close.call(server);
    setTimeout(() => close(began), listening ? SETTLE_MS : 0);
  };

  const close = (began: number): void => {
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
