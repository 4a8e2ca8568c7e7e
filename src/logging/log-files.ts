import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createStream } from 'rotating-file-stream';
import { AppConfig } from '../config/app.config';
import { LoggingConfig } from '../config/logging.config';
import { BatchedLines } from './batched-lines';
import { StdoutStream, stdoutStream } from './stdout-stream';

/** Owner read and write only. */
const LOG_FILE_MODE = 0o600;

/** Where a rotated copy goes: the live file keeps its plain name (app.log), copies get a date and index. */
function rotatedName(base: string): (time: number | Date, index?: number) => string {
  return (time, index) => {
    if (!time) return base;
    const stamp = new Date(time).toISOString().slice(0, 10).replace(/-/g, '');
    return `${base}.${stamp}-${index ?? 1}`;
  };
}

/**
 * Where log lines go: the three files under LOG_DIR (rotated by size and daily, keeping LOG_MAX_FILES
 * copies each) and, with LOG_STDOUT, standard output. All are flushed and closed at shutdown.
 */
@Injectable()
export class LogFiles implements OnApplicationShutdown {
  readonly app: BatchedLines;
  readonly error: BatchedLines;
  readonly security: BatchedLines;
  /** Standard output, when LOG_STDOUT is on. */
  readonly stdout?: StdoutStream;

  constructor(config: LoggingConfig, app: AppConfig) {
    this.stdout = config.stdout ? stdoutStream(app.debug) : undefined;
    mkdirSync(config.dir, { recursive: true });
    const open = (base: string): BatchedLines => {
      // The lines hold addresses and emails: the files are their owner's alone (0600), including one an
      // older version created readable (the mode below applies only when a file is created).
      const live = join(config.dir, base);
      if (existsSync(live)) chmodSync(live, LOG_FILE_MODE);
      const stream = createStream(rotatedName(base), {
        path: config.dir,
        size: config.maxSize,
        interval: '1d',
        maxFiles: config.maxFiles,
        mode: LOG_FILE_MODE,
      });
      // A line logged after shutdown closed the file (a late pool or timer event) is lost, not thrown:
      // without a listener the stream's 'write after end' error would end the process.
      stream.on('error', (error: Error) => process.stderr.write(`${base}: ${error.message}\n`));
      return new BatchedLines(stream);
    };
    this.app = open('app.log');
    this.error = open('error.log');
    this.security = open('security.log');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stdout?.flush();
    await Promise.all([this.app, this.error, this.security].map((file) => file.end()));
  }
}
