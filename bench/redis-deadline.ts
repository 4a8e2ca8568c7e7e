import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openBenchWorkspace } from './bench-workspace';
import { serviceNodeFlags } from './service-node-flags';

/**
 * How many rate-limit calls fall back to per-instance memory with Redis healthy and both cores busy,
 * for each Redis answer deadline: the service (built from source, one process per deadline, with the
 * deadline injected) takes BENCH_REQUESTS requests on POST /user/auth/logout without a session (two
 * limits apply, default and auth: two rate-limit calls each, no database work), from 50 connections
 * and 65,536 client addresses, while BENCH_BURNERS busy loops keep the cores at 100 %. Redis is a
 * redis-server of the bench's own (no other client's traffic, no persistence). A late answer marks
 * Redis down, and every call until the next probe (500 ms) answers from memory: the count is what
 * redis_fallbacks_total says. Rounds alternate deadlines so drift hits them all alike.
 *
 *   npx ts-node --transpile-only bench/redis-deadline.ts
 *   BENCH_DEADLINES=5,10,20,50 BENCH_ROUNDS=3 BENCH_BURNERS=2 BENCH_REQUESTS=50000 (the defaults below)
 */
const DEADLINES = (process.env.BENCH_DEADLINES ?? '5,10,15,20,30,50,75,100').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BURNERS = Number(process.env.BENCH_BURNERS ?? 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000);
const CALLS_PER_REQUEST = 2;
const PORT = 18_095;
// Never reached: every request pays for counting, none is refused.
const UNREACHED = { RATE_LIMIT_REQUESTS: '10000000', RATE_LIMIT_AUTH_REQUESTS: '10000000' };

async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startRedis(): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await sparePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}/0`, port, stop: () => stopChild(child) };
}

/** Script calls Redis has run so far (the rate-limit counter is one Lua script per call). */
function redisScriptCalls(port: number): number {
  const info = spawnSync('redis-cli', ['-p', String(port), 'info', 'commandstats'], { encoding: 'utf8' }).stdout;
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Busy and total jiffies of all cores so far (/proc/stat's first line). */
function cpuJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = fields[3] + fields[4];
  return { busy: total - idle, total };
}

function startBurners(): ChildProcess[] {
  return Array.from({ length: BURNERS }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function startService(env: Record<string, string>): Promise<ChildProcess> {
  const entry = join(__dirname, 'redis-deadline-service.ts');
  const child = spawn(process.execPath, [...serviceNodeFlags(), '-r', 'ts-node/register/transpile-only', entry], {
    env: { ...process.env, ...env, PORT: String(PORT), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('service did not become ready in 120 s');
    const ready = await fetch(`http://127.0.0.1:${PORT}/health/ready`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fallbacks(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  return Number(/^redis_fallbacks_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

let clients = 0;

async function hammer(): Promise<{ answered: number; failed: number; rps: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}/user/auth/logout`,
    method: 'POST',
    connections: 50,
    amount: REQUESTS,
    requests: [
      {
        setupRequest: (request) => {
          clients = (clients + 1) % 65_536;
          return {
            ...request,
            headers: { ...request.headers, 'x-forwarded-for': `10.9.${clients >> 8}.${clients & 255}` },
          };
        },
      },
    ],
  });
  return { answered: result['2xx'], failed: result.non2xx + result.errors, rps: result.requests.average };
}

interface Round {
  fallbacks: number;
  cpuBusy: number;
  rps: number;
  redisCalls: number;
}

async function oneRound(
  deadlineMs: number,
  redis: { url: string; port: number },
  workspace: {
    databaseUrl: string;
    logDir: string;
  },
): Promise<Round> {
  const service = await startService({
    ENVIRONMENT: 'production',
    SECRET_KEY: randomBytes(32).toString('hex'),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    DATABASE_URL: workspace.databaseUrl,
    REDIS_URL: redis.url,
    LOG_DIR: workspace.logDir,
    LOG_STDOUT: 'false',
    LOG_LEVEL: 'warning',
    TRUST_PROXY: 'true',
    RATE_LIMIT_ENABLED: 'true',
    ...UNREACHED,
    BENCH_REDIS_DEADLINE_MS: String(deadlineMs),
  });
  const burners = startBurners();
  try {
    const before = { fallbacks: await fallbacks(), cpu: cpuJiffies(), redis: redisScriptCalls(redis.port) };
    const run = await hammer();
    const cpu = cpuJiffies();
    if (run.answered !== REQUESTS || run.failed > 0) {
      throw new Error(`deadline ${deadlineMs} ms: ${run.answered} of ${REQUESTS} answered 2xx, ${run.failed} not`);
    }
    return {
      fallbacks: (await fallbacks()) - before.fallbacks,
      cpuBusy: (cpu.busy - before.cpu.busy) / (cpu.total - before.cpu.total),
      rps: run.rps,
      redisCalls: redisScriptCalls(redis.port) - before.redis,
    };
  } finally {
    await Promise.all(burners.map(stopChild));
    await stopChild(service);
  }
}

async function main(): Promise<void> {
  const calls = REQUESTS * CALLS_PER_REQUEST;
  console.log(
    `${cpus().length} cores, ${BURNERS} busy loops, ${REQUESTS} requests = ${calls} rate-limit calls per run, ` +
      `${ROUNDS} round(s), deadlines ${DEADLINES.join(', ')} ms`,
  );
  const redis = await startRedis();
  const workspace = await openBenchWorkspace();
  const rounds = new Map<number, Round[]>(DEADLINES.map((deadline) => [deadline, []]));
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const deadline of DEADLINES) {
        const result = await oneRound(deadline, redis, workspace);
        rounds.get(deadline)?.push(result);
        console.log(
          `  round ${round + 1}, deadline ${String(deadline).padStart(3)} ms: ${result.fallbacks} of ${calls} ` +
            `calls from memory; Redis ran ${result.redisCalls} scripts; CPU ${(result.cpuBusy * 100).toFixed(0)} % ` +
            `busy; ${result.rps.toFixed(0)} req/s`,
        );
      }
    }
  } finally {
    await workspace.remove();
    await redis.stop();
  }
  console.log(`\ndeadline  calls from memory per run of ${calls} (worst of ${ROUNDS})`);
  for (const [deadline, results] of rounds) {
    const counts = results.map((result) => result.fallbacks);
    console.log(`${String(deadline).padStart(5)} ms  ${counts.join(', ').padEnd(30)} worst ${Math.max(...counts)}`);
  }
  // The smallest deadline that, like every larger one measured, never fell back in any round.
  let smallest: number | undefined;
  for (const deadline of [...DEADLINES].sort((x, y) => y - x)) {
    if (!rounds.get(deadline)?.every((result) => result.fallbacks === 0)) break;
    smallest = deadline;
  }
  console.log(
    smallest === undefined
      ? 'even the largest deadline measured fell back: measure larger ones (BENCH_DEADLINES)'
      : `smallest deadline with 0 calls from memory in every round (and every larger one): ${smallest} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
