import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from './service-node-flags';

export interface RunningService {
  process: ChildProcess;
  readyMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * Starts the built service as `npm start` does (node, its flags, dist/src/main.js, or another build's
 * entry to compare two builds) and times spawn to the first 200 from /health/ready.
 */
export async function startService(
  env: Record<string, string>,
  port: number,
  entry = join(__dirname, '..', 'dist', 'src', 'main.js'),
): Promise<RunningService> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...serviceNodeFlags(), entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('service did not become ready in 60 s');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    process: child,
    readyMs,
    rssMb: () => rssOf(child.pid as number),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
