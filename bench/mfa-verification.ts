import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { matchingTimeStep, newTotpSecret, totpCodeAt } from '../src/mfa/totp-codes';
import { openBenchWorkspace } from './bench-workspace';
import { startService } from './service-process';

/**
 * What one TOTP verification costs: the pure otplib check, and POST /user/auth/mfa end to end (the
 * built service, production settings, the machine's PostgreSQL, with and without Redis), then the
 * row sizes of the MFA tables. A code works once per user and step, so every timed sign-in is a
 * different account, using the code of the next step (accepted within the window).
 *
 *   npm run build && npx ts-node --transpile-only bench/mfa-verification.ts
 */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const ACCOUNTS = Number(process.env.BENCH_MFA_ACCOUNTS ?? 40);
const PURE_CALLS = 5000;
const PORT = 18_120;
const PASSWORD = 'Bench-Mark-Passphrase-2026';

const post = async (url: string, body: object, token?: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

async function json<T>(res: Response, status: number, what: string): Promise<T> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

function pureVerification(): { rightMs: number; wrongMs: number } {
  const secret = newTotpSecret();
  const now = new Date();
  const right = totpCodeAt(secret, now);
  const time = (code: string): number => {
    const started = performance.now();
    for (let i = 0; i < PURE_CALLS; i += 1) matchingTimeStep(secret, code, now);
    return (performance.now() - started) / PURE_CALLS;
  };
  time(right);
  // A wrong code is the worst case: all three steps are computed.
  return { rightMs: time(right), wrongMs: time(right === '000000' ? '000001' : '000000') };
}

/** An account with TOTP enabled: its secret, its password step still to come. */
async function accountWithTotp(base: string): Promise<{ email: string; secret: string }> {
  const email = `mfa.${randomBytes(5).toString('hex')}@example.com`;
  await json(
    await post(`${base}/user/auth/register`, { firstName: 'A', lastName: 'B', email, password: PASSWORD }),
    201,
    'register',
  );
  const { accessToken } = await json<{ accessToken: string }>(
    await post(`${base}/user/auth/login`, { email, password: PASSWORD }),
    200,
    'login',
  );
  const { secret } = await json<{ secret: string }>(
    await post(`${base}/user/mfa/totp/setup`, {}, accessToken),
    200,
    'setup',
  );
  await json(
    await post(`${base}/user/mfa/totp/enable`, { code: totpCodeAt(secret, new Date()) }, accessToken),
    200,
    'enable',
  );
  return { email, secret };
}

async function mfaToken(base: string, email: string): Promise<string> {
  const body = await json<{ mfaToken: string }>(
    await post(`${base}/user/auth/login`, { email, password: PASSWORD }),
    200,
    'login',
  );
  return body.mfaToken;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

async function endToEnd(base: string): Promise<{ rightMs: number; wrongMs: number }> {
  const accounts = [];
  for (let i = 0; i < ACCOUNTS; i += 1) accounts.push(await accountWithTotp(base));
  const right: number[] = [];
  const wrong: number[] = [];
  for (const account of accounts) {
    const failing = await mfaToken(base, account.email);
    let started = performance.now();
    await json(await post(`${base}/user/auth/mfa`, { mfaToken: failing, code: '000000' }), 401, 'wrong code').catch(
      () => undefined,
    );
    wrong.push(performance.now() - started);
    const token = await mfaToken(base, account.email);
    const code = totpCodeAt(account.secret, new Date(Date.now() + 30_000));
    started = performance.now();
    await json(await post(`${base}/user/auth/mfa`, { mfaToken: token, code }), 200, 'mfa');
    right.push(performance.now() - started);
  }
  return { rightMs: median(right), wrongMs: median(wrong) };
}

async function rowSizes(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const lines: string[] = [];
    for (const table of ['totp_factors', 'recovery_codes', 'mfa_login_tokens', 'used_totp_steps']) {
      const { rows } = await client.query<{ rows: string; avg: string | null; total: string }>(
        `SELECT count(*)::text AS rows, round(avg(pg_column_size(t.*)), 1)::text AS avg,
                pg_size_pretty(pg_total_relation_size('${table}')) AS total FROM ${table} t`,
      );
      lines.push(
        `${table.padEnd(18)} rows ${rows[0].rows.padStart(4)}, avg row ${rows[0].avg ?? '-'} bytes, table+indexes ${rows[0].total}`,
      );
    }
    return lines;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const pure = pureVerification();
  console.log(
    `otplib verify (3 steps, sync), right code: ${pure.rightMs.toFixed(3)} ms/call; wrong code: ${pure.wrongMs.toFixed(3)} ms/call`,
  );
  for (const [name, redis] of [
    ['PostgreSQL', ''],
    ['PostgreSQL + Redis', REDIS_URL],
  ]) {
    const { databaseUrl, logDir, remove } = await openBenchWorkspace();
    const service = await startService(
      {
        ENVIRONMENT: 'production',
        SECRET_KEY: randomBytes(32).toString('hex'),
        SMTP_URL: 'smtp://127.0.0.1:2525',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis,
        BCRYPT_ROUNDS: '10',
        LOCKOUT_THRESHOLD: '1000',
        RATE_LIMIT_ENABLED: 'false',
        LOG_DIR: logDir,
        LOG_STDOUT: 'false',
      },
      PORT,
    );
    try {
      const e2e = await endToEnd(`http://127.0.0.1:${PORT}`);
      console.log(
        `${name.padEnd(20)} POST /user/auth/mfa median of ${ACCOUNTS}: right TOTP code ${e2e.rightMs.toFixed(1)} ms ` +
          `(verify + step claim + session start), wrong code ${e2e.wrongMs.toFixed(1)} ms`,
      );
      if (!redis) for (const line of await rowSizes(databaseUrl)) console.log(`  ${line}`);
    } finally {
      await service.stop();
      await remove();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
