import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Work a route finishes after its answer has gone out, so that the answer's timing cannot tell what
 * the work found. Failures are logged (the client already has its answer), never thrown; shutdown
 * waits for work in progress while the database is still open.
 */
@Injectable()
export class AfterReply implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterReply.name);
  private readonly pending = new Set<Promise<void>>();

  /** Starts the work once the current reply is written (the next turn of the event loop). */
  run(task: string, work: () => Promise<void>): void {
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.logger.error({ task, err: error }, 'work after the reply failed'))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves when every piece of work started so far has finished; shutdown and tests wait on it. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.settled();
  }
}
