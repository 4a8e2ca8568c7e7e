import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { median } from './load';
import { startService } from './service-process';
import { openBenchWorkspace } from './bench-workspace';

/**
 * Throughput of the readiness probe (GET /health/ready: a database round trip and the migrations
 * check) on PostgreSQL without Redis, 10 connections. Give several builds' entry files to compare them
 * (e.g. a copy of dist from before a change); rounds alternate so drift hits every build alike.
 *
 *   npm run build && npx ts-node --transpile-only bench/health-ready.ts [other-build/main.js ...]
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;
const PORT = 18_091;

async function requestsPerSecond(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx + result.errors} failed probes`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const entries = [
    join(__dirname, '..', 'dist', 'src', 'main.js'),
    ...process.argv.slice(2).map((entry) => resolve(entry)),
  ];
  const { databaseUrl, logDir, remove } = await openBenchWorkspace();
  const throughput: Record<string, number[]> = {};
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const entry of entries) {
        const env = {
          ENVIRONMENT: 'production',
          SECRET_KEY: randomBytes(32).toString('hex'),
          SMTP_URL: 'smtp://127.0.0.1:2525',
          DATABASE_URL: databaseUrl,
          LOG_DIR: logDir,
          LOG_STDOUT: 'false',
        };
        const service = await startService(env, PORT, entry);
        try {
          const url = `http://127.0.0.1:${PORT}/health/ready`;
          await requestsPerSecond(url, 1);
          (throughput[entry] ??= []).push(await requestsPerSecond(url, SECONDS));
        } finally {
          await service.stop();
        }
      }
    }
  } finally {
    await remove();
  }
  for (const entry of entries) {
    const runs = throughput[entry].map((rps) => rps.toFixed(0)).join(', ');
    console.log(`${entry}: GET /health/ready ${median(throughput[entry]).toFixed(0)} req/s median (${runs})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
