import { openBenchWorkspace } from './bench-workspace';
import { load, LoadResult, median } from './load';
import { RunningService, startService } from './service-process';

/**
 * `npm run bench` (and `npm run bench -- signing` alone): GET /user/me and login on this build with
 * ALGORITHM=ES256 (verify a P-256 signature per request) against the same build with HS256, rounds
 * alternating which goes first so a neighbour's load hits both alike. Target: /user/me ES256 ≥ 0.90 of HS256.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'Bench-Mark-Passphrase-2026';
const ES256_PORT = 18_093;
const HS256_PORT = 18_094;

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

interface Contender {
  service: RunningService;
  port: number;
  token: string;
  remove(): Promise<void>;
}

async function post(port: number, path: string, body: object): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function contender(algorithm: string, port: number): Promise<Contender> {
  const workspace = await openBenchWorkspace();
  const service = await startService(
    {
      ENVIRONMENT: 'production',
      ALGORITHM: algorithm,
      SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      BCRYPT_ROUNDS: '10',
      RATE_LIMIT_ENABLED: 'false',
      LOCKOUT_THRESHOLD: '1000',
      LOG_LEVEL: 'info',
      LOG_DIR: workspace.logDir,
      DATABASE_URL: workspace.databaseUrl,
    },
    port,
  );
  const account = { firstName: 'Bench', lastName: 'Mark', email: 'bench@example.com', password: PASSWORD };
  const registered = await post(port, '/user/auth/register', account);
  if (registered.status !== 201) throw new Error(`register (${algorithm}) failed: ${registered.status}`);
  const signedIn = await post(port, '/user/auth/login', { email: account.email, password: PASSWORD });
  if (signedIn.status !== 200) throw new Error(`login (${algorithm}) failed: ${signedIn.status}`);
  const { accessToken } = (await signedIn.json()) as { accessToken: string };
  return { service, port, token: accessToken, remove: () => workspace.remove() };
}

function me(target: Contender): Promise<LoadResult> {
  return load({
    url: `http://127.0.0.1:${target.port}/user/me`,
    headers: { authorization: `Bearer ${target.token}` },
    serverPid: target.service.process.pid as number,
    seconds: SECONDS,
  });
}

function loginFlood(target: Contender): Promise<LoadResult> {
  return load({
    url: `http://127.0.0.1:${target.port}/user/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: PASSWORD }),
    connections: 16,
    seconds: SECONDS,
  });
}

/** Both contenders in one round, which goes first alternating; throws on any non-2xx answer. */
async function alternate(
  round: number,
  es: Contender,
  hs: Contender,
  run: (target: Contender) => Promise<LoadResult>,
): Promise<[LoadResult, LoadResult]> {
  const order = round % 2 === 0 ? [es, hs] : [hs, es];
  const first = await run(order[0]);
  const second = await run(order[1]);
  const [a, b] = order[0] === es ? [first, second] : [second, first];
  if (a.non2xx || b.non2xx) throw new Error(`non-2xx answers: ES256 ${a.non2xx}, HS256 ${b.non2xx}`);
  return [a, b];
}

export async function signingAlgorithmsBench(): Promise<void> {
  const es = await contender('ES256', ES256_PORT);
  const hs = await contender('HS256', HS256_PORT);
  try {
    const figures = { meEs: [] as number[], meHs: [] as number[], cpuEs: [] as number[], cpuHs: [] as number[] };
    const logins = { es: [] as number[], hs: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const [meEs, meHs] = await alternate(round, es, hs, me);
      figures.meEs.push(meEs.requestsPerSecond);
      figures.meHs.push(meHs.requestsPerSecond);
      figures.cpuEs.push(meEs.cpuMicrosPerRequest ?? Number.NaN);
      figures.cpuHs.push(meHs.cpuMicrosPerRequest ?? Number.NaN);
      const [loginEs, loginHs] = await alternate(round, es, hs, loginFlood);
      logins.es.push(loginEs.requestsPerSecond);
      logins.hs.push(loginHs.requestsPerSecond);
    }
    line('GET /user/me req/s, ALGORITHM=HS256 (median)', fmt(median(figures.meHs)));
    line('GET /user/me req/s, ALGORITHM=ES256 (median)', fmt(median(figures.meEs)));
    line('  ratio ES256 / HS256 (target >= 0.90)', fmt(median(figures.meEs) / median(figures.meHs), 3));
    line('  server CPU µs per request, HS256 / ES256', `${fmt(median(figures.cpuHs))} / ${fmt(median(figures.cpuEs))}`);
    line('POST /user/auth/login req/s, HS256 (median)', fmt(median(logins.hs), 1));
    line('POST /user/auth/login req/s, ES256 (median)', fmt(median(logins.es), 1));
    line('  ratio ES256 / HS256', fmt(median(logins.es) / median(logins.hs), 3));
  } finally {
    await es.service.stop();
    await hs.service.stop();
    await es.remove();
    await hs.remove();
  }
}
