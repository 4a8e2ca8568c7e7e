import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${resolve(dataDir)} is in use by another process (pid ${pid}); ` +
        'stop it first, or point DATA_DIR elsewhere, or set DATABASE_URL',
    );
    this.name = 'DataDirInUseError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite takes no lock on its directory, and two processes writing it corrupt the data. This lock
 * file holds the owner's pid; a lock left by a process that no longer runs is taken over.
 */
export class DataDirLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(private readonly file: string) {
    process.once('exit', this.onExit);
  }

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'service.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
          throw new DataDirInUseError(dataDir, owner);
        }
        unlinkSync(file);
      }
    }
    throw new Error(`could not take the lock ${file}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    try {
      unlinkSync(this.file);
    } catch {
      // already gone: nothing to release
    }
  }
}
