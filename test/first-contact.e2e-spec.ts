import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { BuiltAppProcess, buildIfNeeded, sparePort } from './support/built-app-process';
import { SERVER_DATABASE_URL, SERVER_REDIS_URL } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const ANSI_ESCAPE = '\u001b[';
const PASSWORD = 'not-the-real-password-5';

interface Finished {
  code: number | null;
  output: string;
}

/** Runs a built entry point (dist/src/…) in a scratch directory, output piped (not a terminal), to its exit. */
async function runToExit(script: string, args: string[], env: Record<string, string>): Promise<Finished> {
  const workDir = mkdtempSync(join(tmpdir(), 'clickbit-first-contact-'));
  try {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', script), ...args], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, ENVIRONMENT: 'test', LOG_DIR: join(workDir, 'logs'), ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    return { code, output };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The output's lines, which must be one: the failure and its fix, plain text. */
function oneLine(finished: Finished): string {
  expect(finished.output).not.toContain(ANSI_ESCAPE);
  expect(finished.output).not.toContain(PASSWORD);
  const lines = finished.output.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(finished.code).toBe(1);
  return lines[0];
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

describe('First contact: npm start', () => {
  let app: BuiltAppProcess | undefined;

  beforeAll(() => buildIfNeeded(), 300_000);
  afterAll(() => app?.cleanUp());

  it('says in one info line where it listens, its database, Redis and the docs; Nest route mapping is debug', async () => {
    // No SECRET_KEY: a development key is generated, and the service says so.
    app = await BuiltAppProcess.start({ LOG_STDOUT: 'true', SECRET_KEY: '' });
    const started = app;
    for (let waited = 0; !started.output.includes('listening on') && waited < 10_000; waited += 50) {
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(started.output).not.toContain(ANSI_ESCAPE);
    const [plain, json] = partition(started.output.split('\n').filter(Boolean), (line) => !line.startsWith('{'));
    // Before the logger exists, one plain line says what the silent seconds of a first start are for.
    expect(plain).toEqual(
      SERVER_DATABASE_URL
        ? []
        : [
            expect.stringMatching(
              /^initialising the embedded database \(PGlite\) at \/.*\/data: a first start takes about 10 seconds$/,
            ),
          ],
    );
    const lines = json.map((line) => JSON.parse(line) as Record<string, unknown>);
    const infoLines = lines.filter((line) => line.level === 'INFO' && line.logger !== 'request');
    const start = infoLines.filter((line) => String(line.message).includes('listening on'));
    expect(start).toHaveLength(1);
    const message = String(start[0].message);
    expect(message).toContain(`listening on http://127.0.0.1:${started.port}`);
    expect(message).toMatch(
      SERVER_DATABASE_URL
        ? /database: PostgreSQL 127\.0\.0\.1:5432\/test_[0-9a-f]+,/
        : /database: embedded PostgreSQL \(PGlite\) at \/.*\/data,/,
    );
    expect(message).not.toContain('postgresql://');
    expect(message).toContain(SERVER_REDIS_URL ? 'Redis 127.0.0.1:6379' : 'no Redis');
    expect(message).toContain('docs: http://localhost:');
    const secret = infoLines.filter((line) => String(line.message).includes('SECRET_KEY is not set'));
    expect(secret).toHaveLength(1);
    expect(String(secret[0].message)).toMatch(/generated a development key and kept it in .*secret_key/);
    const migrations = infoLines.filter((line) => String(line.message).startsWith('applying '));
    expect(migrations).toHaveLength(1);
    expect(String(migrations[0].message)).toMatch(/^applying \d+ pending migration\(s\): CreateUsers\d+, /);
    // Nothing else at info: Nest's module and route narration is debug.
    expect(infoLines).toEqual([...secret, ...migrations, ...start]);
    expect(lines.filter((line) => /Mapped \{|dependencies initialized/.test(String(line.message)))).toEqual([]);
  });

  it("shows a lone request's line on stdout soon, without waiting for a block of others", async () => {
    const started = app as BuiltAppProcess;
    const requestId = `first-contact-${randomBytes(4).toString('hex')}`;
    const res = await fetch(`http://127.0.0.1:${started.port}/health/live`, { headers: { 'x-request-id': requestId } });
    expect(res.status).toBe(200);
    for (let waited = 0; !started.output.includes(requestId) && waited < 5_000; waited += 50) {
      await new Promise((done) => setTimeout(done, 50));
    }
    const line = started.output.split('\n').find((candidate) => candidate.includes(requestId));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ logger: 'request', path: '/health/live', status_code: 200 });
  });
});

describe('First contact: a port already in use', () => {
  beforeAll(() => buildIfNeeded(), 300_000);

  it('says so in one plain line naming the port and the fix, before opening any database', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const { port } = holder.address() as AddressInfo;
    const dataDir = mkdtempSync(join(tmpdir(), 'clickbit-port-in-use-'));
    try {
      const env = { HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dataDir, 'data') };
      const line = oneLine(await runToExit('main.js', [], env));
      expect(line).toBe(
        `Start failed: port ${port} is already in use on 127.0.0.1: stop the process that holds it ` +
          '(another instance?), or set PORT to a free port',
      );
      // Told at once, not after the seconds a first start spends initialising the embedded database.
      expect(existsSync(join(dataDir, 'data', 'pgdata'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await new Promise<void>((done) => holder.close(() => done()));
    }
  });
});

describe('First contact: a database that cannot be reached', () => {
  beforeAll(() => buildIfNeeded(), 300_000);

  const missingDatabaseIt = SERVER_DATABASE_URL ? it : it.skip;

  missingDatabaseIt(
    'names a missing database and the fix in one plain line, for npm start and the db command',
    async () => {
      const url = new URL(SERVER_DATABASE_URL as string);
      const name = `missing_${randomBytes(4).toString('hex')}`;
      url.pathname = `/${name}`;
      url.password = PASSWORD;
      const env = {
        DATABASE_URL: url.toString(),
        SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
        PORT: String(await sparePort()),
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'Adm1n-Str0ng-Passphrase',
      };
      const expected = new RegExp(
        `database "${name}" does not exist on PostgreSQL 127\\.0\\.0\\.1:5432: .*npm run db -- create`,
      );
      expect(oneLine(await runToExit('main.js', [], env))).toMatch(expected);
      for (const command of ['health', 'seed', 'drop']) {
        expect(oneLine(await runToExit('cli/db.command.js', [command], env))).toMatch(expected);
      }
    },
  );

  it('says the server cannot be reached in one plain line', async () => {
    const port = await sparePort();
    const env = {
      DATABASE_URL: `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/clickbit`,
      SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
      PORT: String(await sparePort()),
    };
    const expected = new RegExp(`cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port} \\(database "clickbit"`);
    expect(oneLine(await runToExit('main.js', [], env))).toMatch(expected);
    expect(oneLine(await runToExit('cli/db.command.js', ['create'], env))).toMatch(expected);
  });
});
