/**
 * Rolling-restart drill (run by .ci/run, not by npm test; needs nginx, PostgreSQL and Redis):
 * three built instances on one PostgreSQL + Redis behind nginx; each in turn gets SIGTERM, exits and is
 * started again, while clients register, log in and read /user/me through the proxy. Expected: no
 * failed request, every acknowledged registration stored. Prints the numbers; exit 1 otherwise.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \
 *     npx ts-node --transpile-only test/drills/rolling-restart-drill.ts
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { buildIfNeeded, sparePort } from '../support/built-app-process';
import { createTestDatabase } from '../support/test-app';
import { startNginx } from './nginx-proxy';

const ROOT = resolve(__dirname, '..', '..');
const CLIENTS = 8;
const PASSWORD = 'SecurePass123!';
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface Instance {
  port: number;
  child: ChildProcess;
}

async function startInstance(port: number, env: Record<string, string>, workDir: string): Promise<Instance> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH, ...env, PORT: String(port), LOG_DIR: join(workDir, `logs-${port}`) },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance on ${port} exited at start`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { port, child };
    await sleep(100);
  }
  throw new Error(`instance on ${port} not ready within 60 s`);
}

/** One request through the proxy: the status, or the client-side error code. */
function call(agent: Agent, port: number, method: string, path: string, body?: object, token?: string) {
  return new Promise<{ status?: number; body: string; error?: string }>((done) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode, body: text }));
    });
    req.once('error', (error: NodeJS.ErrnoException) => done({ body: '', error: error.code ?? error.message }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (and REDIS_URL): the drill runs on PostgreSQL');
  buildIfNeeded();
  const database = await createTestDatabase();
  const workDir = mkdtempSync(join(tmpdir(), 'clickbit-drill-'));
  const env: Record<string, string> = {
    ENVIRONMENT: 'test',
    HOST: '127.0.0.1',
    SECRET_KEY: 'drill-secret-key-with-more-than-32-characters',
    BCRYPT_ROUNDS: '4',
    LOG_STDOUT: 'false',
    RATE_LIMIT_ENABLED: 'false',
    SHUTDOWN_DELAY_MS: process.env.SHUTDOWN_DELAY_MS ?? '3000',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...(database.env as Record<string, string>),
  };
  const ports = [await sparePort(), await sparePort(), await sparePort()];
  const instances: Instance[] = [];
  let nginx: ChildProcess | undefined;
  try {
    for (const port of ports) instances.push(await startInstance(port, env, workDir));
    const proxyPort = await sparePort();
    nginx = await startNginx(join(workDir, 'nginx'), proxyPort, ports);

    const failures: Record<string, number> = {};
    const acknowledged: string[] = [];
    let requests = 0;
    let running = true;
    const fail = (what: string): void => void (failures[what] = (failures[what] ?? 0) + 1);
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let n = 0; running; n++) {
        const email = `drill-${c}-${n}@example.com`;
        const credentials = { email, password: PASSWORD };
        const registered = await call(agent, proxyPort, 'POST', '/user/auth/register', {
          ...credentials,
          firstName: 'Roll',
          lastName: 'Ing',
        });
        requests += 1;
        if (registered.status !== 201) {
          fail(`register ${registered.status ?? registered.error}`);
          continue;
        }
        acknowledged.push(email);
        const login = await call(agent, proxyPort, 'POST', '/user/auth/login', credentials);
        requests += 1;
        if (login.status !== 200) {
          fail(`login ${login.status ?? login.error}`);
          continue;
        }
        const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
        const me = await call(agent, proxyPort, 'GET', '/user/me', undefined, token);
        requests += 1;
        if (me.status !== 200) fail(`me ${me.status ?? me.error}`);
      }
      agent.destroy();
    });

    const exits: string[] = [];
    await sleep(2000);
    for (let i = 0; i < instances.length; i++) {
      const { child, port } = instances[i];
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      exits.push(`${port}: exit ${await exited}`);
      instances[i] = await startInstance(port, env, workDir);
      await sleep(2000);
    }
    running = false;
    await Promise.all(clients);

    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE email = ANY($1)', [
      acknowledged,
    ]);
    await client.end();
    const found = Number(rows[0].n);
    const failed = Object.values(failures).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `rolling restart behind nginx: ${requests} requests, ${failed} failed ${JSON.stringify(failures)}, ` +
        `registrations acknowledged ${acknowledged.length}, found ${found}; instances ${exits.join(', ')}\n`,
    );
    // nginx says why each failed request failed (refused, reset, closed prematurely...).
    if (failed > 0) process.stdout.write(readFileSync(join(workDir, 'nginx', 'error.log'), 'utf8'));
    if (failed > 0 || found !== acknowledged.length || exits.some((e) => !e.endsWith('exit 0'))) process.exitCode = 1;
  } finally {
    nginx?.kill('SIGQUIT');
    for (const { child } of instances) if (child.exitCode === null) child.kill('SIGKILL');
    await sleep(500);
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`drill failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
