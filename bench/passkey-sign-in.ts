import { randomBytes } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { Client } from 'pg';
import { SoftwareAuthenticator } from '../test/support/software-authenticator';
import { openBenchWorkspace } from './bench-workspace';
import { median } from './load';
import { startService } from './service-process';

/**
 * `npm run bench:passkeys`: what one passkey sign-in costs end to end (options, the authenticator's
 * signature, verification and the session), sequentially and with a few clients at once, against the
 * built service on the machine's PostgreSQL; and how large a passkeys row is.
 */
const PORT = 18_096;
const ORIGIN = `http://localhost:${PORT}`;
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 300);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const PASSWORD = 'Bench-Mark-Passphrase-2026';

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
const line = (label: string, value: string): void => console.log(`${label.padEnd(52)} ${value}`);

async function post<T>(path: string, body?: object, token?: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A user with a registered passkey, held by a software authenticator. */
async function enrol(index: number): Promise<SoftwareAuthenticator> {
  const email = `bench.passkey.${index}.${randomBytes(3).toString('hex')}@example.com`;
  const registered = await post('/user/auth/register', {
    firstName: 'Bench',
    lastName: 'Mark',
    email,
    password: PASSWORD,
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  const login = await post<{ accessToken: string }>('/user/auth/login', { email, password: PASSWORD });
  const token = login.body.accessToken;
  const options = await post<PublicKeyCredentialCreationOptionsJSON>(
    '/user/passkeys/registration/options',
    undefined,
    token,
  );
  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const credential = authenticator.create(options.body);
  const added = await post('/user/passkeys/registration', { credential, name: 'Bench key' }, token);
  if (added.status !== 201) throw new Error(`passkey registration: ${added.status} ${JSON.stringify(added.body)}`);
  return authenticator;
}

interface Timing {
  optionsMs: number;
  verifyMs: number;
  totalMs: number;
}

async function signIn(authenticator: SoftwareAuthenticator): Promise<Timing> {
  const start = performance.now();
  const options = await post<PublicKeyCredentialRequestOptionsJSON>('/user/auth/passkey/options', {});
  const optionsDone = performance.now();
  const credential = authenticator.get(options.body);
  const signed = performance.now();
  const res = await post('/user/auth/passkey', { credential });
  const end = performance.now();
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${JSON.stringify(res.body)}`);
  return { optionsMs: optionsDone - start, verifyMs: end - signed, totalMs: end - start };
}

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/** The machine's Redis for the second round (challenges in Redis); BENCH_REDIS_URL=none skips it. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

async function main(): Promise<void> {
  await measure(undefined);
  if (REDIS_URL !== 'none') await measure(REDIS_URL);
}

async function measure(redisUrl: string | undefined): Promise<void> {
  const workspace = await openBenchWorkspace();
  const service = await startService(
    {
      ENVIRONMENT: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      BCRYPT_ROUNDS: '10',
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: 'info',
      LOG_DIR: workspace.logDir,
      DATABASE_URL: workspace.databaseUrl,
      APP_URL: ORIGIN,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    PORT,
  );
  try {
    const authenticators = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => enrol(i)));
    for (let i = 0; i < 20; i++) await signIn(authenticators[0]); // warm-up

    const sequential: Timing[] = [];
    for (let i = 0; i < SIGN_INS; i++) sequential.push(await signIn(authenticators[0]));
    const totals = sequential.map((timing) => timing.totalMs);
    const store = redisUrl ? 'challenges in Redis' : 'challenges in PostgreSQL';
    console.log(`passkey sign-in, ${SIGN_INS} sequential sign-ins (${store}; production settings, logs at info)`);
    line(
      '  options (POST /user/auth/passkey/options), median',
      `${fmt(median(sequential.map((x) => x.optionsMs)))} ms`,
    );
    line('  verification + session (POST /user/auth/passkey)', `${fmt(median(sequential.map((x) => x.verifyMs)))} ms`);
    line('  whole sign-in incl. client signing, median', `${fmt(median(totals))} ms`);
    line('  whole sign-in, p95', `${fmt(percentile(totals, 0.95))} ms`);
    line('  sign-ins per second, one client', fmt(1000 / median(totals), 0));

    const perClient = Math.ceil(SIGN_INS / CLIENTS);
    const start = performance.now();
    await Promise.all(
      authenticators.map(async (authenticator) => {
        for (let i = 0; i < perClient; i++) await signIn(authenticator);
      }),
    );
    const elapsed = performance.now() - start;
    line(`  sign-ins per second, ${CLIENTS} clients at once`, fmt((perClient * CLIENTS * 1000) / elapsed, 0));

    const db = new Client({ connectionString: workspace.databaseUrl });
    await db.connect();
    const [row] = (
      await db.query<{ rows: string; avg_row: string; table_bytes: string; total_bytes: string }>(
        `SELECT count(*) AS rows, avg(pg_column_size(p.*))::int AS avg_row,
                pg_relation_size('passkeys') AS table_bytes, pg_total_relation_size('passkeys') AS total_bytes
           FROM passkeys p`,
      )
    ).rows;
    await db.end();
    line('passkeys row (ES256 key, 32-byte credential id)', `${row.avg_row} bytes of tuple data`);
    line(`passkeys table with its indexes, ${row.rows} rows`, `${row.total_bytes} bytes (heap ${row.table_bytes})`);
  } finally {
    await service.stop();
    await workspace.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
