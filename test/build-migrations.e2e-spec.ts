import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BuiltAppProcess } from './support/built-app-process';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

const ROOT = resolve(__dirname, '..');
/** What a fresh clone holds that a build reads; node_modules is linked, as `npm ci` would have made it. */
const PROJECT_FILES = [
  'src',
  'migrations',
  'scripts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

/** A copy of the project with no dist/, so its builds leave the suite's own dist/ alone. */
function freshClone(): string {
  const clone = mkdtempSync(join(tmpdir(), 'clickbit-clone-'));
  for (const file of PROJECT_FILES) cpSync(join(ROOT, file), join(clone, file), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  return clone;
}

/** Runs a shell command in the clone to its end, with node_modules/.bin first as npm scripts have it. */
function run(clone: string, command: string): string {
  return execFileSync('bash', ['-c', `${command} 2>&1`], {
    cwd: clone,
    encoding: 'utf8',
    timeout: 240_000,
    env: { PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, HOME: process.env.HOME },
  });
}

describe('builds compile the migrations in', () => {
  let clone: string;

  beforeAll(() => {
    clone = freshClone();
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it('npm start on a fresh clone says in one line that it builds, then builds; a current build is left alone', () => {
    const output = run(clone, 'bash scripts/build-if-needed.sh');
    expect(output.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^Building the service into dist\//)]);
    expect(existsSync(join(clone, 'dist', 'src', 'main.js'))).toBe(true);
    const stamp = statSync(join(clone, 'dist', '.build-stamp')).mtimeMs;
    expect(run(clone, 'bash scripts/build-if-needed.sh')).toBe('');
    expect(statSync(join(clone, 'dist', '.build-stamp')).mtimeMs).toBe(stamp);
  }, 300_000);

  it('nest build makes a dist that applies its migrations on a fresh database and is then ready', async () => {
    run(clone, 'npx nest build');
    const migrations = readdirSync(join(ROOT, 'migrations')).map((file) => file.replace(/\.ts$/, '.js'));
    expect(readdirSync(join(clone, 'dist', 'migrations')).filter((file) => file.endsWith('.js'))).toEqual(migrations);
    const { entryFile } = JSON.parse(readFileSync(join(clone, 'nest-cli.json'), 'utf8')) as { entryFile: string };
    const app = await BuiltAppProcess.start({}, { entry: join(clone, 'dist', `${entryFile}.js`) });
    try {
      const ready = await fetch(`${app.baseUrl}/health/ready`);
      const body = (await ready.json()) as { checks: Record<string, { status: string; message: string }> };
      expect(ready.status).toBe(200);
      expect(body.checks.migrations).toEqual({ status: 'healthy', message: 'No migration pending' });
      // The tables exist: an account can be made.
      const registered = await fetch(`${app.baseUrl}/user/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Jane', lastName: 'Roe', email: uniqueEmail(), password: STRONG_PASSWORD }),
      });
      expect(registered.status).toBe(201);
    } finally {
      await app.cleanUp();
    }
  }, 300_000);
});

describe('a build that lacks its migrations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ migrations: [] });
  });
  afterAll(() => t.close());

  it('is not ready, and says why', async () => {
    const res = await get(t.app, '/health/ready');
    expect(res.statusCode).toBe(503);
    const body = res.json<{ status: string; checks: Record<string, { status: string; message: string }> }>();
    expect(body.status).toBe('unhealthy');
    expect(body.checks.migrations).toEqual({
      status: 'unhealthy',
      message: 'This build has no migrations compiled in: rebuild it with npm run build',
    });
    expect(body.checks.database.status).toBe('healthy');
  });
});
