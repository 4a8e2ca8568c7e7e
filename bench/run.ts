import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditExportBench } from './audit-export';
import { auditLoginOverhead } from './audit-login-overhead';
import { asyncResourceBindBench } from './async-resource-bind';
import { signingAlgorithmsBench } from './signing-algorithms';
import { bcryptComparesPerSecond } from './bcrypt-ceiling';
import { fork } from 'node:child_process';
import { load, median, sequentialLatencyMicros } from './load';
import { serviceNodeFlags } from './service-node-flags';
import { RunningService, startService } from './service-process';
import { bulkLoadUsers } from './users-bulk-load';
import { createDatabaseIfMissing, dropDatabase } from '../src/database/postgres-database';

/**
 * `npm run bench`: the service (built, production settings, request logs at info) against a bare
 * Fastify + pg baseline on the machine's PostgreSQL. Rounds alternate so drift hits both.
 */
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BCRYPT_ROUNDS = Number(process.env.BENCH_BCRYPT_ROUNDS ?? 10);
const SERVICE_PORT = 18_080;
const BASELINE_PORT = 18_081;
const NEST_PORT = 18_082;
const NEST_CARD_PORT = 18_083;
const LARGE_SERVICE_PORT = 18_084;
const RAW_FLOOR_PORT = 18_085;
const PASSWORD = 'Bench-Mark-Passphrase-2026';
const SECRET = randomBytes(32).toString('hex');

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

function serviceEnv(extra: Record<string, string>): Record<string, string> {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  return {
    ENVIRONMENT: 'production',
    // The floors sign with HMAC and SECRET_KEY: the service does too, so the comparison is of the code.
    // ES256 against HS256 is a section of its own (bench/signing-algorithms.ts).
    ALGORITHM: 'HS256',
    SECRET_KEY: SECRET,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BCRYPT_ROUNDS: String(BCRYPT_ROUNDS),
    RATE_LIMIT_ENABLED: 'false',
    LOCKOUT_THRESHOLD: '1000',
    LOG_LEVEL: 'info',
    LOG_DIR: logDir,
    ...extra,
  };
}

async function post(url: string, body: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function registerBenchUser(base: string, email: string): Promise<void> {
  const res = await post(`${base}/user/auth/register`, {
    firstName: 'Bench',
    lastName: 'Mark',
    email,
    password: PASSWORD,
  });
  if (res.status !== 201) throw new Error(`register on ${base} failed: ${res.status} ${await res.text()}`);
}

async function signIn(base: string, email: string): Promise<string> {
  const res = await post(`${base}/user/auth/login`, { email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function eventLoopP99Ms(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text)?.[1];
  return value ? Number(value) * 1000 : Number.NaN;
}

async function startupFigures(databaseUrl: string | undefined): Promise<{ readyMs: number; rssMb: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  // Production refuses the embedded database (it needs DATABASE_URL): that one starts as development does.
  const env = serviceEnv(
    databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir, ENVIRONMENT: 'development' },
  );
  // First start applies migrations; the second is the steady start operators see.
  const first = await startService(env, SERVICE_PORT);
  await first.stop();
  const service = await startService(env, SERVICE_PORT);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const figures = { readyMs: service.readyMs, rssMb: service.rssMb() };
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return figures;
}

/** A contender in a process of its own, like the service: the load generator never shares its loop. */
interface Contender {
  pid: number;
  stop(): Promise<void>;
}

function startContenderProcess(
  file: string,
  port: number,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<Contender> {
  const child = fork(join(__dirname, file), [], {
    // The service's own Node.js flags, so that the comparison is of code, not of runtime settings.
    execArgv: [...serviceNodeFlags(), '-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, DATABASE_URL: databaseUrl, SECRET_KEY: SECRET, BENCH_PORT: String(port), ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () =>
      resolve({
        pid: child.pid as number,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/** One server of the GET /user/me comparison and what the rounds measured of it. */
interface MeServer {
  label: string;
  url: string;
  pid: number;
  rates: number[];
  cpu: number[];
}

async function main(meOnly = false): Promise<void> {
  const dbUrl = new URL(SERVER_URL);
  dbUrl.pathname = `/bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = dbUrl.toString();
  dbUrl.pathname = `${dbUrl.pathname}_large`;
  const largeDatabaseUrl = dbUrl.toString();
  await createDatabaseIfMissing(databaseUrl);
  await createDatabaseIfMissing(largeDatabaseUrl);
  let service: RunningService | undefined;
  let largeService: RunningService | undefined;
  const contenders: Contender[] = [];
  try {
    console.log(
      `# ClickBit benchmark: ${ROUNDS} rounds of ${SECONDS} s, bcrypt cost ${BCRYPT_ROUNDS}, PostgreSQL ${SERVER_URL.replace(/\/[^/]*$/, '')}`,
    );
    service = await startService(serviceEnv({ DATABASE_URL: databaseUrl }), SERVICE_PORT);
    const floor = await startContenderProcess('baseline-server.ts', BASELINE_PORT, databaseUrl);
    contenders.push(floor);
    const rawFloor = await startContenderProcess('raw-floor-server.ts', RAW_FLOOR_PORT, databaseUrl);
    contenders.push(rawFloor);
    const bareNest = await startContenderProcess('nest-passport-contender.ts', NEST_PORT, databaseUrl);
    contenders.push(bareNest);
    const cardNest = await startContenderProcess('nest-passport-contender.ts', NEST_CARD_PORT, databaseUrl, {
      BENCH_CARD_SHAPE: '1',
    });
    contenders.push(cardNest);
    const base = `http://127.0.0.1:${SERVICE_PORT}`;

    const email = 'bench@example.com';
    await registerBenchUser(base, email);
    await bulkLoadUsers(databaseUrl, 1, 999);
    const token = await signIn(base, email);
    const auth = { authorization: `Bearer ${token}` };

    // 1. GET /user/me: the service, the raw floor (bare Fastify + pg, HMAC with node:crypto), the floor
    // (the same with jsonwebtoken), bare Nest + passport-jwt, and bare Nest with the card's shape at no
    // cost of its own (a pass-through global interceptor, a request context in AsyncLocalStorage), in
    // alternating rounds.
    const at = (port: number): string => `http://127.0.0.1:${port}/user/me`;
    const servers: MeServer[] = [
      { label: 'service', url: `${base}/user/me`, pid: service.process.pid as number, rates: [], cpu: [] },
      { label: 'bare Nest + interceptor + ALS', url: at(NEST_CARD_PORT), pid: cardNest.pid, rates: [], cpu: [] },
      { label: 'bare Nest', url: at(NEST_PORT), pid: bareNest.pid, rates: [], cpu: [] },
      { label: 'floor', url: at(BASELINE_PORT), pid: floor.pid, rates: [], cpu: [] },
      { label: 'raw floor', url: at(RAW_FLOOR_PORT), pid: rawFloor.pid, rates: [], cpu: [] },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const result = await load({ url: server.url, serverPid: server.pid, headers: auth, seconds: SECONDS });
        if (result.non2xx) throw new Error(`${server.label} answered ${result.non2xx} non-2xx`);
        server.rates.push(result.requestsPerSecond);
        server.cpu.push(result.cpuMicrosPerRequest ?? Number.NaN);
      }
    }
    const [ours, card, nest, bare, raw] = servers.map((server) => ({
      rate: median(server.rates),
      cpu: median(server.cpu),
    }));
    line('GET /user/me service req/s (median)', fmt(ours.rate));
    line('GET /user/me bare Nest + global interceptor + ALS context, req/s', fmt(card.rate));
    line('GET /user/me bare Nest + passport-jwt, same SQL, req/s (median)', fmt(nest.rate));
    line('GET /user/me floor: bare Fastify + pg + jsonwebtoken, req/s (median)', fmt(bare.rate));
    line('GET /user/me raw floor: bare Fastify + pg + node:crypto HMAC, req/s', fmt(raw.rate));
    line('  ratio service / raw floor (target >= 0.60)', fmt(ours.rate / raw.rate, 2));
    line('  ratio service / floor', fmt(ours.rate / bare.rate, 2));
    line('  ratio floor / raw floor (the JWT library)', fmt(bare.rate / raw.rate, 2));
    line('  ratio bare Nest + interceptor + ALS / floor (the card)', fmt(card.rate / bare.rate, 2));
    line('  ratio bare Nest / floor (the framework)', fmt(nest.rate / bare.rate, 2));
    line('  ratio service / bare Nest + interceptor + ALS (ours)', fmt(ours.rate / card.rate, 2));
    // CPU time per request moves less than req/s when other work shares the machine.
    line(
      'GET /user/me CPU µs/request: service / card / bare Nest / floor / raw floor',
      [ours, card, nest, bare, raw].map((server) => fmt(server.cpu)).join(' / '),
    );
    line('  ratio raw floor / service CPU per request', fmt(raw.cpu / ours.cpu, 2));
    if (meOnly) return;

    // 2. Login against the bcrypt ceiling, and liveness latency during the flood.
    const logins: number[] = [];
    const ceilings: number[] = [];
    const liveP99: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const loginRequest = {
        url: `${base}/user/auth/login`,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
        connections: 16,
        seconds: SECONDS,
      };
      // Throughput alone, then liveness while the same flood runs (the probe's own load is not counted).
      const flood = await load(loginRequest);
      if (flood.non2xx) throw new Error(`login answered ${flood.non2xx} non-2xx`);
      logins.push(flood.requestsPerSecond);
      const [, live] = await Promise.all([
        load(loginRequest),
        load({ url: `${base}/health/live`, connections: 1, seconds: SECONDS }),
      ]);
      liveP99.push(live.p99Ms);
      ceilings.push(await bcryptComparesPerSecond(BCRYPT_ROUNDS, SECONDS));
    }
    line(`POST /user/auth/login req/s (median, cost ${BCRYPT_ROUNDS})`, fmt(median(logins), 1));
    line('bcrypt.compare per second, same cost (median)', fmt(median(ceilings), 1));
    line('  ratio login / bcrypt ceiling (target >= 0.90)', fmt(median(logins) / median(ceilings), 2));
    line('GET /health/live p99 during the login flood, ms (target <= 25)', fmt(median(liveP99), 1));

    // 3. Registration throughput and the event-loop delay it causes.
    await eventLoopP99Ms(base);
    let counter = 0;
    const registration = await load({
      url: `${base}/user/auth/register`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections: 8,
      seconds: SECONDS,
      body: JSON.stringify({
        firstName: 'Reg',
        lastName: 'User',
        email: `reg-${Date.now()}-${counter++}@example.com`,
        password: PASSWORD,
      }),
    });
    line('POST /user/auth/register req/s (first succeeds, then 409s)', fmt(registration.requestsPerSecond, 1));
    line('  event-loop delay p99 during registration, ms', fmt(await eventLoopP99Ms(base), 1));

    // 4. /user/me latency at 1 k users against 1 M users: a second service on a database of its own
    // holding BENCH_USERS users, the two measured in alternating rounds, so that the host's load at the
    // moment moves both alike (measured minutes apart, this ratio went from 0.93 to 1.26 with the load).
    const bulkTo = Number(process.env.BENCH_USERS ?? 1_000_000);
    largeService = await startService(serviceEnv({ DATABASE_URL: largeDatabaseUrl }), LARGE_SERVICE_PORT);
    const largeBase = `http://127.0.0.1:${LARGE_SERVICE_PORT}`;
    await registerBenchUser(largeBase, email);
    await bulkLoadUsers(largeDatabaseUrl, 1, bulkTo - 1);
    const largeAuth = { authorization: `Bearer ${await signIn(largeBase, email)}` };
    const smallLatency: number[] = [];
    const largeLatency: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      smallLatency.push(await sequentialLatencyMicros(`${base}/user/me`, auth, 2000));
      largeLatency.push(await sequentialLatencyMicros(`${largeBase}/user/me`, largeAuth, 2000));
    }
    line('GET /user/me median latency, 1 k users, µs', fmt(median(smallLatency)));
    line(`GET /user/me median latency, ${fmt(bulkTo)} users, µs`, fmt(median(largeLatency)));
    line('  ratio (target <= 1.2)', fmt(median(largeLatency) / median(smallLatency), 2));
    await largeService.stop();
    largeService = undefined;

    await service.stop();
    service = undefined;

    // 5. Start-to-ready and idle memory.
    const onPostgres = await startupFigures(databaseUrl);
    line('start-to-ready on PostgreSQL, ms (target <= 1500)', fmt(onPostgres.readyMs));
    line('idle RSS on PostgreSQL, MB (target <= 150)', fmt(onPostgres.rssMb));
    const embedded = await startupFigures(undefined);
    line('start-to-ready on the embedded database, ms', fmt(embedded.readyMs));
    line('idle RSS on the embedded database, MB', fmt(embedded.rssMb));
  } finally {
    await service?.stop();
    await largeService?.stop();
    for (const contender of contenders) await contender.stop();
    await dropDatabase(databaseUrl);
    await dropDatabase(largeDatabaseUrl);
  }
}

/** `npm run bench -- audit`: the audit trail's export and its cost on login, instead of the main run. */
async function auditBenches(): Promise<void> {
  await auditExportBench();
  await auditLoginOverhead();
}

/**
 * `npm run bench`: the main run, then ES256 against HS256 on this build (`npm run bench -- signing`: that
 * alone; `npm run bench -- me`: only the GET /user/me comparison, to iterate on it; `npm run bench -- bind`:
 * Node's AsyncResource.bind against the service's).
 */
async function allBenches(): Promise<void> {
  if (process.argv[2] === 'me') return main(true);
  if (process.argv[2] === 'bind') return asyncResourceBindBench();
  if (process.argv[2] !== 'signing') await main();
  await signingAlgorithmsBench();
}

(process.argv[2] === 'audit' ? auditBenches() : allBenches()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
