import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load, median } from './load';
import { openBenchWorkspace, BenchWorkspace } from './bench-workspace';
import { RunningService, startService } from './service-process';

/**
 * `npm run bench:compare -- <git revision> [-- ALGORITHM=HS256 ...]`: this build against the build of
 * another revision (checked out and built in a temporary worktree), GET /user/me and login in
 * alternating rounds, each build on a database of its own (an older build may not know a newer
 * migration). Prints each figure's ratio this ÷ that, the number a "no regression" claim rests on.
 * Settings after the revision apply to both builds.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BCRYPT_ROUNDS = Number(process.env.BENCH_BCRYPT_ROUNDS ?? 10);
const PORTS = [18_086, 18_087];
const PASSWORD = 'Bench-Mark-Passphrase-2026';
const ROOT = join(__dirname, '..');

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);

/** Checks the revision out beside this one, shares node_modules, builds it; returns its entry file. */
function buildRevision(revision: string): { entry: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, revision], { cwd: ROOT, stdio: 'ignore' });
  const remove = (): void => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
  };
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync('bash', ['scripts/build.sh'], { cwd: dir, stdio: 'inherit' });
  } catch (error) {
    remove();
    throw error;
  }
  return { entry: join(dir, 'dist', 'src', 'main.js'), remove };
}

interface Contender {
  label: string;
  entry: string;
  workspace?: BenchWorkspace;
  service?: RunningService;
  token?: string;
  me: number[];
  meCpu: number[];
  login: number[];
  loginCpu: number[];
}

async function post(url: string, body: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function prepare(contender: Contender, port: number, settings: Record<string, string>): Promise<void> {
  contender.workspace = await openBenchWorkspace();
  contender.service = await startService(
    {
      ENVIRONMENT: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      BCRYPT_ROUNDS: String(BCRYPT_ROUNDS),
      RATE_LIMIT_ENABLED: 'false',
      LOCKOUT_THRESHOLD: '1000',
      LOG_LEVEL: 'info',
      LOG_DIR: contender.workspace.logDir,
      DATABASE_URL: contender.workspace.databaseUrl,
      ...settings,
    },
    port,
    contender.entry,
  );
  const base = `http://127.0.0.1:${port}`;
  const email = 'bench@example.com';
  const registered = await post(`${base}/user/auth/register`, {
    firstName: 'B',
    lastName: 'M',
    email,
    password: PASSWORD,
  });
  if (registered.status !== 201) throw new Error(`${contender.label}: register answered ${registered.status}`);
  const login = await post(`${base}/user/auth/login`, { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`${contender.label}: login answered ${login.status}`);
  contender.token = ((await login.json()) as { accessToken: string }).accessToken;
}

async function measureRound(contender: Contender, port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const me = await load({
    url: `${base}/user/me`,
    headers: { authorization: `Bearer ${contender.token}` },
    seconds: SECONDS,
    serverPid: contender.service?.process.pid,
  });
  const login = await load({
    url: `${base}/user/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: PASSWORD }),
    connections: 16,
    seconds: SECONDS,
    serverPid: contender.service?.process.pid,
  });
  if (me.non2xx || login.non2xx) throw new Error(`${contender.label} answered non-2xx`);
  contender.me.push(me.requestsPerSecond);
  contender.meCpu.push(me.cpuMicrosPerRequest ?? Number.NaN);
  contender.login.push(login.requestsPerSecond);
  contender.loginCpu.push(login.cpuMicrosPerRequest ?? Number.NaN);
}

async function main(): Promise<void> {
  const [revision, ...assignments] = process.argv.slice(2).filter((arg) => arg !== '--');
  if (!revision) throw new Error('usage: npm run bench:compare -- <git revision> [NAME=value ...]');
  const settings = Object.fromEntries(assignments.map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
  const thisEntry = resolve(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(thisEntry)) throw new Error('dist/src/main.js is missing: npm run build first');
  const before = buildRevision(revision);
  const contenders: Contender[] = [
    { label: 'this build', entry: thisEntry, me: [], meCpu: [], login: [], loginCpu: [] },
    { label: revision, entry: before.entry, me: [], meCpu: [], login: [], loginCpu: [] },
  ];
  try {
    console.log(`# this build against ${revision}: ${ROUNDS} rounds of ${SECONDS} s, bcrypt cost ${BCRYPT_ROUNDS}`);
    for (const [i, contender] of contenders.entries()) await prepare(contender, PORTS[i], settings);
    // One unrecorded round each, so that neither build is measured while its code is still cold.
    for (const [i, contender] of contenders.entries()) {
      await measureRound(contender, PORTS[i]);
      contender.me.length = contender.meCpu.length = contender.login.length = contender.loginCpu.length = 0;
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which build goes first, so a warming host favours neither.
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) await measureRound(contenders[i], PORTS[i]);
    }
    const [now, then] = contenders;
    line('GET /user/me req/s, this build / ' + revision, `${fmt(median(now.me))} / ${fmt(median(then.me))}`);
    line('  ratio this ÷ that (target >= 0.97)', fmt(median(now.me) / median(then.me), 2));
    // CPU time per request moves less than req/s when other work shares the machine.
    line(
      'GET /user/me CPU µs per request, this build / ' + revision,
      `${fmt(median(now.meCpu))} / ${fmt(median(then.meCpu))}`,
    );
    line('  ratio that ÷ this (target >= 0.97)', fmt(median(then.meCpu) / median(now.meCpu), 2));
    line(
      'POST /user/auth/login req/s, this build / ' + revision,
      `${fmt(median(now.login), 1)} / ${fmt(median(then.login), 1)}`,
    );
    line('  ratio this ÷ that (target >= 0.97)', fmt(median(now.login) / median(then.login), 2));
    line(
      'POST /user/auth/login CPU ms per request, this build / ' + revision,
      `${fmt(median(now.loginCpu) / 1000, 1)} / ${fmt(median(then.loginCpu) / 1000, 1)}`,
    );
    line('  ratio that ÷ this (target >= 0.97)', fmt(median(then.loginCpu) / median(now.loginCpu), 2));
  } finally {
    for (const contender of contenders) {
      await contender.service?.stop();
      await contender.workspace?.remove();
    }
    before.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
