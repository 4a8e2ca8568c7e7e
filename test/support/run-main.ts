import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_ENTRY } from './built-app-process';

/** `node dist/src/main.js` in a scratch directory (with this .env, if any), run to its exit: its lines. */
export async function runMain(
  env: Record<string, string>,
  dotEnv?: string,
): Promise<{ code: number | null; lines: string[] }> {
  const workDir = mkdtempSync(join(tmpdir(), 'clickbit-config-'));
  try {
    if (dotEnv) writeFileSync(join(workDir, '.env'), dotEnv);
    const child = spawn(process.execPath, [BUILT_ENTRY], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, ENVIRONMENT: 'test', LOG_DIR: join(workDir, 'logs'), ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    // A process that starts serving instead of refusing must not outlive the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    clearTimeout(timer);
    return { code, lines: output.split('\n').filter(Boolean) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
