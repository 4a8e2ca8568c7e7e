import { Writable } from 'node:stream';
import { DestinationStream } from 'pino';

/** How long a line may wait for others to share its write. */
const HOLD_MS = 10;
/** Held lines are written at once past this size, whatever their age: bounds the memory held. */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * A pino destination in front of a rotating log file: the lines written within HOLD_MS reach the file
 * as one write. rotating-file-stream spends about 40 µs of CPU on each write (measured, one 250-byte
 * line a write), a tenth of what GET /user/me costs in all; at 50 lines a write it is under 3 µs a
 * line. `flush()` hands over what is held at once; shutdown calls it before closing the file.
 */
export class BatchedLines implements DestinationStream {
  private held = '';
  private flushScheduled = false;

  constructor(private readonly file: Writable) {}

  write(line: string): void {
    this.held += line;
    if (this.held.length >= MAX_HELD_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => {
        this.flushScheduled = false;
        this.flush();
      }, HOLD_MS);
    }
  }

  flush(): void {
    if (this.held === '') return;
    const lines = this.held;
    this.held = '';
    this.file.write(lines);
  }

  /** Flushes, then ends the file once everything written to it is on disk. */
  end(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.file.end(() => resolve()));
  }
}
