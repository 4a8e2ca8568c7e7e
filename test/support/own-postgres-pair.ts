import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './built-app-process';
import { postgresBinDir } from './own-postgres-server';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** One PostgreSQL server of a pair: its data directory under the pair's, its loopback port. */
class PairMember {
  running = false;

  constructor(
    private readonly pair: OwnPostgresPair,
    readonly name: string,
    readonly port: number,
  ) {}

  get data(): string {
    return join(this.pair.dir, this.name);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.pair.dir} -c listen_addresses=127.0.0.1`;
    const log = join(this.pair.dir, `${this.name}.log`);
    await this.pair.pg('pg_ctl', ['-D', this.data, '-l', log, '-o', options, '-w', 'start']);
    this.running = true;
  }

  /** `immediate` is a crash: every backend dies without a goodbye, as when the host fails. */
  async stop(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    await this.pair.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** One SQL statement through psql on the server's socket; its unaligned output. */
  sql(statement: string): Promise<string> {
    return this.pair.pg('psql', ['-h', this.pair.dir, '-p', String(this.port), '-U', 'postgres', '-Atc', statement]);
  }
}

/**
 * A primary and a synchronous standby of the test's own (initdb, pg_basebackup -R), in a temporary
 * directory on loopback ports: a switchover is never rehearsed on the machine's server. As root, the
 * servers run as the postgres user.
 */
export class OwnPostgresPair {
  readonly primary: PairMember;
  readonly standby: PairMember;

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    ports: [number, number],
  ) {
    this.primary = new PairMember(this, 'primary', ports[0]);
    this.standby = new PairMember(this, 'standby', ports[1]);
  }

  static async create(): Promise<OwnPostgresPair> {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-pg-pair-'));
    const pair = new OwnPostgresPair(postgresBinDir(), dir, [await sparePort(), await sparePort()]);
    try {
      if (userInfo().uid === 0) {
        const owner = await run('id', ['-u', 'postgres']);
        const group = await run('id', ['-g', 'postgres']);
        chownSync(dir, Number(owner.stdout), Number(group.stdout));
      }
      const { primary, standby } = pair;
      await pair.pg('initdb', ['-D', primary.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
      await primary.start();
      // In postgresql.auto.conf, so that the standby's copy holds it too and must clear it once promoted.
      await primary.sql("ALTER SYSTEM SET synchronous_standby_names = '*'");
      await primary.sql('SELECT pg_reload_conf()');
      await pair.pg('pg_basebackup', [
        '-h',
        dir,
        '-p',
        String(primary.port),
        '-U',
        'postgres',
        '-D',
        standby.data,
        '-R',
      ]);
      await standby.start();
      await pair.waitUntilSynchronous();
      return pair;
    } catch (error) {
      await pair.remove();
      throw error;
    }
  }

  /** Until the primary reports its standby as synchronous: from then on, an acknowledged commit is on both. */
  async waitUntilSynchronous(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.primary.sql('SELECT sync_state FROM pg_stat_replication')) === 'sync') return;
      await sleep(100);
    }
    throw new Error(`the standby is not synchronous within ${timeoutMs} ms`);
  }

  /**
   * The standby becomes the primary: promoted, and without a synchronous standby of its own to wait for
   * (the setting it copied would make every commit hang).
   */
  async promoteStandby(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.standby.data, '-w', 'promote']);
    await this.standby.sql('ALTER SYSTEM RESET synchronous_standby_names');
    await this.standby.sql('SELECT pg_reload_conf()');
  }

  /** Stops whatever runs and deletes the files; safe in any state. */
  async remove(): Promise<void> {
    for (const member of [this.primary, this.standby]) {
      if (member.running) await member.stop('immediate').catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async pg(program: string, args: string[]): Promise<string> {
    const command = join(this.bin, program);
    const asRoot = userInfo().uid === 0;
    const { stdout } = await run(
      asRoot ? 'runuser' : command,
      asRoot ? ['-u', 'postgres', '--', command, ...args] : args,
      {
        timeout: 60_000,
      },
    );
    return stdout.trim();
  }
}
