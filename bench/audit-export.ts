import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { openBenchWorkspace } from './bench-workspace';
import { startService } from './service-process';

/**
 * `npm run bench -- audit` (part a): 1,000,000 audit rows on PostgreSQL, streamed as NDJSON through
 * the real service over HTTP; reports rows/s and the service's peak RSS above idle (target < 50 MB).
 * BENCH_EXPORT_BASELINE_ENTRY=<other build>/dist/src/main.js measures that build too, on the same rows.
 */
const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 1_000_000);
const PORT = 18_090;
const PASSWORD = 'Bench-Mark-Passphrase-2026';

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

async function post(url: string, body: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** generate_series in batches: a few seconds for a million rows, spread over the last ~11 days. */
async function insertRows(databaseUrl: string, rows: number): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const batch = 250_000;
    for (let start = 1; start <= rows; start += batch) {
      const end = Math.min(rows, start + batch - 1);
      await client.query(
        `INSERT INTO audit_events (occurred_at, action, outcome, actor_id, target_user_id, ip_address, user_agent,
                                   request_id, details)
         SELECT date_trunc('milliseconds', now()) - g * interval '1 millisecond',
                (ARRAY['login.succeeded','login.failed','logout','refresh.reuse_detected'])[1 + g % 4],
                CASE WHEN g % 4 = 1 THEN 'failure' ELSE 'success' END,
                gen_random_uuid(), gen_random_uuid(), '203.0.113.' || (g % 250), 'Mozilla/5.0 (bench)',
                'bench-' || g, jsonb_build_object('sessionId', gen_random_uuid()::text)
           FROM generate_series($1::int, $2::int) AS g`,
        [start, end],
      );
    }
    await client.query('ANALYZE audit_events');
  } finally {
    await client.end();
  }
}

/** Reads the whole export, counting lines and never keeping them; samples the service's RSS meanwhile. */
function exportAll(token: string, pid: number): Promise<{ lines: number; seconds: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    let peakMb = 0;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 20);
    const started = process.hrtime.bigint();
    const req = request(
      `http://127.0.0.1:${PORT}/admin/audit`,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', (chunk: Buffer) => {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        });
        res.on('end', () => {
          clearInterval(sampler);
          resolve({ lines, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The service's settings for this bench: production, no rate limit, the bench's own database. */
function serviceEnv(databaseUrl: string, logDir: string): Record<string, string> {
  return {
    ENVIRONMENT: 'production',
    SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BCRYPT_ROUNDS: '10',
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'info',
    LOG_DIR: logDir,
    DATABASE_URL: databaseUrl,
  };
}

/** Registers the bench's admin through the service (so the row is exactly what the API writes). */
async function createAdmin(databaseUrl: string, email: string): Promise<void> {
  const created = await post(`http://127.0.0.1:${PORT}/user/auth/register`, {
    firstName: 'A',
    lastName: 'B',
    email,
    password: PASSWORD,
  });
  if (created.status !== 201) throw new Error(`register failed: ${created.status}`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [email]);
  await client.end();
}

/** One export through a freshly started service (this build, or `entry`): rows/s and peak RSS above idle. */
async function measureExport(label: string, env: Record<string, string>, email: string, entry?: string): Promise<void> {
  const service = await startService(env, PORT, entry);
  try {
    const base = `http://127.0.0.1:${PORT}`;
    const signedIn = await post(`${base}/user/auth/login`, { email, password: PASSWORD });
    const { accessToken } = (await signedIn.json()) as { accessToken: string };
    // Idle after one small page, so the route's code and the pool are warm.
    await fetch(`${base}/admin/audit?limit=1`, { headers: { authorization: `Bearer ${accessToken}` } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pid = service.process.pid as number;
    const idleMb = rssMb(pid);
    const result = await exportAll(accessToken, pid);
    line(`${label}: NDJSON export rows streamed`, fmt(result.lines));
    line(`${label}: NDJSON export rows/s`, fmt(result.lines / result.seconds));
    line(`${label}: NDJSON export duration, s`, fmt(result.seconds, 1));
    line(`${label}: service RSS idle, MB`, fmt(idleMb, 1));
    line(`${label}: peak RSS above idle during the export, MB (target < 50)`, fmt(result.peakMb - idleMb, 1));
  } finally {
    await service.stop();
  }
}

/**
 * BENCH_EXPORT_BASELINE_ENTRY (optional): another build's dist/src/main.js, measured on the same rows
 * first, for a before/after in one run.
 */
export async function auditExportBench(): Promise<void> {
  const workspace = await openBenchWorkspace();
  const env = serviceEnv(workspace.databaseUrl, workspace.logDir);
  const email = 'audit-bench@example.com';
  try {
    // The schema and the admin come from this build; both builds must share the migrations.
    const setup = await startService(env, PORT);
    try {
      await createAdmin(workspace.databaseUrl, email);
    } finally {
      await setup.stop();
    }
    const insertStarted = Date.now();
    await insertRows(workspace.databaseUrl, ROWS);
    line(`insert ${fmt(ROWS)} audit rows (generate_series), s`, fmt((Date.now() - insertStarted) / 1000, 1));
    const baselineEntry = process.env.BENCH_EXPORT_BASELINE_ENTRY;
    if (baselineEntry) await measureExport('baseline', env, email, baselineEntry);
    await measureExport('this build', env, email);
  } finally {
    await workspace.remove();
  }
}
