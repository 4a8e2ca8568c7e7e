import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sparePort } from '../support/built-app-process';
import { sleep } from './drill-client';

/**
 * Debian's HAProxy as a TCP front to PostgreSQL on a loopback port: the primary enabled, the standby in
 * maintenance until a switchover moves the traffic through the runtime API (its socket in a private
 * directory). Sessions to a server going into maintenance or down are cut, so that no client keeps
 * talking to a server that is no longer the primary.
 */
export class HaproxyFront {
  private constructor(
    private readonly dir: string,
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(primaryPort: number, standbyPort: number): Promise<HaproxyFront> {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-haproxy-'));
    const port = await sparePort();
    const config = [
      'global',
      `  stats socket ${join(dir, 'admin.sock')} mode 600 level admin`,
      'defaults',
      '  mode tcp',
      '  timeout connect 1s',
      '  timeout client 30m',
      '  timeout server 30m',
      'frontend postgres',
      `  bind 127.0.0.1:${port}`,
      '  default_backend primary',
      'backend primary',
      '  option tcp-check',
      '  default-server inter 500 fall 2 rise 1 on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions',
      `  server pg1 127.0.0.1:${primaryPort} check`,
      `  server pg2 127.0.0.1:${standbyPort} check disabled`,
    ];
    writeFileSync(join(dir, 'haproxy.cfg'), config.join('\n') + '\n');
    const child = spawn('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const front = new HaproxyFront(dir, child, port);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
      if ((await front.command('show info').catch(() => '')).includes('Name: HAProxy')) return front;
    }
    throw new Error(`haproxy did not start: ${output}`);
  }

  /** One command on the runtime API; its answer. */
  command(line: string): Promise<string> {
    return new Promise((done, fail) => {
      const socket = connect(join(this.dir, 'admin.sock'));
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.once('error', fail);
      socket.once('end', () => done(answer.trim()));
      socket.end(`${line}\n`);
    });
  }

  /** New connections go to the standby (now the primary), and none stays open to the old one. */
  async switchToStandby(): Promise<void> {
    await this.command('set server primary/pg1 state maint');
    await this.command('shutdown sessions server primary/pg1');
    // Up at once, rather than after its first health check (up to `inter` later).
    await this.command('set server primary/pg2 health up');
    await this.command('set server primary/pg2 state ready');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
