import { openBenchWorkspace } from './bench-workspace';
import { bcryptComparesPerSecond } from './bcrypt-ceiling';
import { load, median } from './load';
import { RunningService, startService } from './service-process';

/**
 * `npm run bench -- audit` (part b): login throughput of this build (one audit row per login, in the
 * login's transaction) against a build without the audit trail (BENCH_BASELINE_ENTRY, e.g. the
 * dist/src/main.js of the commit before it), the same flood as `npm run bench`, rounds alternating.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'Bench-Mark-Passphrase-2026';

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

async function prepared(port: number, entry?: string): Promise<{ service: RunningService; remove(): Promise<void> }> {
  const workspace = await openBenchWorkspace();
  const env = {
    ENVIRONMENT: 'production',
    SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BCRYPT_ROUNDS: '10',
    RATE_LIMIT_ENABLED: 'false',
    LOCKOUT_THRESHOLD: '1000',
    LOG_LEVEL: 'info',
    LOG_DIR: workspace.logDir,
    DATABASE_URL: workspace.databaseUrl,
  };
  const service = await startService(env, port, entry);
  const res = await fetch(`http://127.0.0.1:${port}/user/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Bench', lastName: 'Mark', email: 'bench@example.com', password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  return { service, remove: () => workspace.remove() };
}

function loginFlood(port: number): ReturnType<typeof load> {
  return load({
    url: `http://127.0.0.1:${port}/user/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: PASSWORD }),
    connections: 16,
    seconds: SECONDS,
  });
}

export async function auditLoginOverhead(): Promise<void> {
  const baselineEntry = process.env.BENCH_BASELINE_ENTRY;
  if (!baselineEntry) {
    console.log('login before/after the audit write: set BENCH_BASELINE_ENTRY to a build without it (skipped)');
    return;
  }
  const withAudit = await prepared(18_091);
  const without = await prepared(18_092, baselineEntry);
  try {
    const after: number[] = [];
    const before: number[] = [];
    const ceilings: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Which build goes first alternates: a neighbour's load that comes and goes hits both alike.
      const first = round % 2 === 0 ? 18_091 : 18_092;
      const firstResult = await loginFlood(first);
      const secondResult = await loginFlood(first === 18_091 ? 18_092 : 18_091);
      const [a, b] = first === 18_091 ? [firstResult, secondResult] : [secondResult, firstResult];
      if (a.non2xx || b.non2xx) throw new Error(`non-2xx logins: with audit ${a.non2xx}, without ${b.non2xx}`);
      after.push(a.requestsPerSecond);
      before.push(b.requestsPerSecond);
      ceilings.push(await bcryptComparesPerSecond(10, SECONDS));
    }
    line('POST /user/auth/login req/s without the audit write (median)', fmt(median(before), 1));
    line('POST /user/auth/login req/s with the audit write (median)', fmt(median(after), 1));
    line('  ratio with / without (target >= 0.95)', fmt(median(after) / median(before), 3));
    line('bcrypt.compare per second, cost 10 (median)', fmt(median(ceilings), 1));
  } finally {
    await withAudit.service.stop();
    await without.service.stop();
    await withAudit.remove();
    await without.remove();
  }
}
