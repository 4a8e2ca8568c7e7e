import { randomBytes } from 'node:crypto';
import { RunningService, startService } from './service-process';
import { openBenchWorkspace } from './bench-workspace';

/**
 * What an attacker learns by guessing in parallel, and by timing forgot-password, against the built
 * service on the machine's PostgreSQL (and Redis):
 * - verdicts out of 24 parallel guesses: 23 wrong passwords and the right one for one account, sent
 *   at once from 24 client addresses (X-Forwarded-For behind TRUST_PROXY), to one instance and split
 *   over two instances sharing the database; LOCKOUT_THRESHOLD=5, so at most 5 may get 401 or 200.
 * - forgot-password pairs: 30 back-to-back requests for a registered and an unknown address (order
 *   alternating), counting the pairs where the registered address was answered more slowly.
 *
 *   npm run build && npx ts-node --transpile-only bench/login-guessing.ts
 */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const BCRYPT_ROUNDS = process.env.BENCH_BCRYPT_ROUNDS ?? '10';
const PORTS = [18_100, 18_101];
const PASSWORD = 'Bench-Mark-Passphrase-2026';
const GUESSES = 24;
const PAIRS = 30;

const post = (base: string, path: string, body: object, ip: string): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });

const email = (prefix: string): string => `${prefix}.${randomBytes(4).toString('hex')}@example.com`;

async function registered(base: string): Promise<string> {
  const address = email('victim');
  const res = await post(
    base,
    '/user/auth/register',
    { firstName: 'A', lastName: 'B', email: address, password: PASSWORD },
    '10.1.0.1',
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return address;
}

/** Counts the answers that judged the password (401 or 200) among 24 simultaneous guesses. */
async function verdicts(bases: string[]): Promise<{ verdicts: number; statuses: Record<number, number> }> {
  const victim = await registered(bases[0]);
  const guesses = Array.from({ length: GUESSES }, (_, i) => (i === GUESSES >> 1 ? PASSWORD : `Wrong-Guess-${i}-x`));
  const answers = await Promise.all(
    guesses.map((password, i) =>
      post(bases[i % bases.length], '/user/auth/login', { email: victim, password }, `10.2.0.${i + 1}`).then(
        (res) => res.status,
      ),
    ),
  );
  const statuses: Record<number, number> = {};
  for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return { verdicts: (statuses[401] ?? 0) + (statuses[200] ?? 0), statuses };
}

async function timedForgot(base: string, address: string, ip: string): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await post(base, '/user/auth/forgot-password', { email: address }, ip);
  await res.text();
  if (res.status !== 202) throw new Error(`forgot-password answered ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function forgotPairs(base: string): Promise<{ knownSlower: number; knownMs: number; unknownMs: number }> {
  const known = await registered(base);
  for (let i = 0; i < 3; i += 1) await timedForgot(base, email('warmup'), '10.3.0.1');
  let knownSlower = 0;
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const ip = `10.4.${pair}.1`;
    const knownFirst = pair % 2 === 0;
    const first = await timedForgot(base, knownFirst ? known : email('nobody'), ip);
    const second = await timedForgot(base, knownFirst ? email('nobody') : known, ip);
    const [knownMs, unknownMs] = knownFirst ? [first, second] : [second, first];
    if (knownMs > unknownMs) knownSlower += 1;
    knownTimes.push(knownMs);
    unknownTimes.push(unknownMs);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
  return { knownSlower, knownMs: median(knownTimes), unknownMs: median(unknownTimes) };
}

async function withServices<T>(
  env: Record<string, string>,
  count: number,
  work: (bases: string[]) => Promise<T>,
): Promise<T> {
  const services: RunningService[] = [];
  try {
    for (const port of PORTS.slice(0, count)) services.push(await startService(env, port));
    return await work(PORTS.slice(0, count).map((port) => `http://127.0.0.1:${port}`));
  } finally {
    for (const service of services) await service.stop();
  }
}

async function main(): Promise<void> {
  const { databaseUrl, logDir, remove } = await openBenchWorkspace();
  const base = {
    ENVIRONMENT: 'production',
    SECRET_KEY: randomBytes(32).toString('hex'),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    DATABASE_URL: databaseUrl,
    BCRYPT_ROUNDS,
    LOCKOUT_THRESHOLD: '5',
    RATE_LIMIT_ENABLED: 'false',
    TRUST_PROXY: 'true',
    LOG_DIR: logDir,
    LOG_STDOUT: 'false',
  };
  const setups: [string, Record<string, string>][] = [
    ['PostgreSQL', { REDIS_URL: '' }],
    ['PostgreSQL + Redis', { REDIS_URL }],
  ];
  try {
    for (const [name, env] of setups) {
      for (const instances of [1, 2]) {
        const result = await withServices({ ...base, ...env }, instances, verdicts);
        const where = `${name}, ${instances} instance${instances > 1 ? 's' : ''}`;
        console.log(
          `${where.padEnd(34)} verdicts out of ${GUESSES} parallel guesses: ${result.verdicts} ${JSON.stringify(result.statuses)}`,
        );
      }
      const pairs = await withServices({ ...base, ...env }, 1, ([url]) => forgotPairs(url));
      console.log(
        `${name.padEnd(34)} forgot-password: known address slower in ${pairs.knownSlower} of ${PAIRS} pairs ` +
          `(medians ${pairs.knownMs.toFixed(1)} ms known, ${pairs.unknownMs.toFixed(1)} ms unknown)`,
      );
    }
  } finally {
    await remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
