import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Environment } from '../../src/config/settings';
import { createTestDatabase, SERVER_REDIS_URL, TestDatabase } from './test-app';

const ROOT = resolve(__dirname, '..', '..');

/** The built service's entry point, as npm start, the image's CMD and nest start run it. */
export const BUILT_ENTRY = join(ROOT, 'dist', 'src', 'main.js');

/** Compiles dist/ when it is missing or older than the sources, as `npm start` does. */
export function buildIfNeeded(): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'build-if-needed.sh')], { stdio: 'ignore', timeout: 300_000 });
}

export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface BuiltAppOptions {
  /** Another build's entry point (default: this checkout's dist). */
  entry?: string;
  /** The content of a .env file in the working directory. */
  dotEnv?: string;
  /** A database of the caller's (a server of the test's own) instead of a fresh one on the test run's. */
  database?: TestDatabase;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/**
 * `node dist/src/main.js` as production runs it (or another build's entry point), in a scratch working
 * directory (no .env, no ./data), on a spare port, over a database of its own: a temporary embedded data
 * directory, or a fresh test database when DATABASE_URL is set.
 */
export class BuiltAppProcess {
  readonly exited: Promise<Exit>;
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly workDir: string,
    private readonly database: TestDatabase,
  ) {
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal, at: Date.now() })));
    const collect = (chunk: Buffer): void => void (this.output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(env: Environment = {}, options: BuiltAppOptions = {}): Promise<BuiltAppProcess> {
    const port = await sparePort();
    const workDir = mkdtempSync(join(tmpdir(), 'clickbit-process-'));
    if (options.dotEnv) writeFileSync(join(workDir, '.env'), options.dotEnv);
    const database = options.database ?? (await createTestDatabase());
    const databaseEnv = database.env.DATABASE_URL ? database.env : { DATA_DIR: join(workDir, 'data') };
    const child = spawn(process.execPath, [options.entry ?? BUILT_ENTRY], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        ENVIRONMENT: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
        BCRYPT_ROUNDS: '4',
        LOG_DIR: join(workDir, 'logs'),
        LOG_STDOUT: 'false',
        RATE_LIMIT_ENABLED: 'false',
        ...(SERVER_REDIS_URL ? { REDIS_URL: SERVER_REDIS_URL } : {}),
        ...databaseEnv,
        ...env,
      },
    });
    const app = new BuiltAppProcess(child, port, workDir, database);
    await app.waitUntilLive();
    return app;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async waitUntilLive(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the app exited at start: ${this.output}`);
      try {
        if ((await fetch(`${this.baseUrl}/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the app did not start within 60 s: ${this.output}`);
  }

  /** Kills the process if a test left it running, and removes its database and files. */
  async cleanUp(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await this.database.drop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
