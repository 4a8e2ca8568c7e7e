import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { median } from './load';
import { startService } from './service-process';
import { openBenchWorkspace } from './bench-workspace';

/**
 * What the rate limiter adds to a request: the same cheap limited route (POST /user/auth/logout
 * without a session: both the default and the auth limit apply, no database work) with limits off,
 * on with in-memory counters, and on with counters in Redis. Behind TRUST_PROXY, requests come from
 * 65,536 client addresses (X-Forwarded-For), so counters hold what real clients put in them. One
 * connection, so that the mean time per request is 1000 / (requests per second), then 50; rounds
 * alternate so drift hits every setup alike.
 *
 *   npm run build && npx ts-node --transpile-only bench/rate-limit-overhead.ts
 */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PORT = 18_090;
// High enough that the run never reaches them: every request pays for counting, none is refused.
const UNREACHED = { RATE_LIMIT_REQUESTS: '10000000', RATE_LIMIT_AUTH_REQUESTS: '10000000' };

interface Run {
  requestsPerSecond: number;
  refusedOrFailed: number;
}

let clients = 0;

async function run(url: string, connections: number, seconds: number): Promise<Run> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          clients = (clients + 1) % 65_536;
          const headers = { ...request.headers, 'x-forwarded-for': `10.9.${clients >> 8}.${clients & 255}` };
          return { ...request, headers };
        },
      },
    ],
  });
  return { requestsPerSecond: result.requests.average, refusedOrFailed: result.non2xx + result.errors };
}

const SETUPS: Record<string, Record<string, string>> = {
  'limits off': { RATE_LIMIT_ENABLED: 'false' },
  'limits on, memory': { RATE_LIMIT_ENABLED: 'true', ...UNREACHED },
  'limits on, Redis': { RATE_LIMIT_ENABLED: 'true', ...UNREACHED, REDIS_URL },
};

async function main(): Promise<void> {
  const { databaseUrl, logDir, remove } = await openBenchWorkspace();
  const perRequestMs: Record<string, number[]> = {};
  const throughput: Record<string, number[]> = {};
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, env] of Object.entries(SETUPS)) {
        const service = await startService(
          {
            ENVIRONMENT: 'production',
            SECRET_KEY: randomBytes(32).toString('hex'),
            SMTP_URL: 'smtp://127.0.0.1:2525',
            DATABASE_URL: databaseUrl,
            LOG_DIR: logDir,
            LOG_STDOUT: 'false',
            TRUST_PROXY: 'true',
            ...env,
          },
          PORT,
        );
        try {
          const url = `http://127.0.0.1:${PORT}/user/auth/logout`;
          await run(url, 1, 1);
          const serial = await run(url, 1, SECONDS);
          const parallel = await run(url, 50, SECONDS);
          if (serial.refusedOrFailed + parallel.refusedOrFailed > 0) {
            throw new Error(`${name}: unexpected refusals or errors`);
          }
          (perRequestMs[name] ??= []).push(1000 / serial.requestsPerSecond);
          (throughput[name] ??= []).push(parallel.requestsPerSecond);
        } finally {
          await service.stop();
        }
      }
    }
  } finally {
    await remove();
  }
  const offMs = median(perRequestMs['limits off']);
  for (const name of Object.keys(SETUPS)) {
    const ms = median(perRequestMs[name]);
    const added = name === 'limits off' ? '' : `  added ${((ms - offMs) * 1000).toFixed(0)} µs`;
    const rps = median(throughput[name]).toFixed(0);
    console.log(
      `${name.padEnd(20)} ${ms.toFixed(3)} ms per request (1 connection)${added}; ${rps} req/s (50 connections)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
