import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './built-app-process';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries installed on the machine (Debian keeps them per version). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'pg_ctl')));
  if (!found) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return found;
}

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a spare port, that the test may
 * stop and start again: outages are never rehearsed on the machine's shared server. PostgreSQL refuses
 * to run as root, so as root it runs as the postgres user.
 */
export class OwnPostgresServer {
  private running = false;

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnPostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-pg-'));
    const server = new OwnPostgresServer(postgresBinDir(), dir, await sparePort());
    try {
      if (userInfo().uid === 0) {
        const postgres = await run('id', ['-u', 'postgres']);
        const group = await run('id', ['-g', 'postgres']);
        chownSync(dir, Number(postgres.stdout), Number(group.stdout));
      }
      await server.pg('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
      await server.start();
      return server;
    } catch (error) {
      await server.remove();
      throw error;
    }
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
    await this.pg('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      'start',
    ]);
    this.running = true;
  }

  /** `immediate` is a crash: every backend dies without a goodbye, as when the server's host fails. */
  async stop(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** Stops the server if it runs and deletes its files; safe to call whatever state it is in. */
  async remove(): Promise<void> {
    try {
      if (this.running) await this.stop('immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const command = join(this.bin, program);
    const asRoot = userInfo().uid === 0;
    await run(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, {
      timeout: 60_000,
    });
  }
}
