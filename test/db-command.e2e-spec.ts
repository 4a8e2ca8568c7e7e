import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, Settings } from '../src/config/settings';
import { create, health, seed } from '../src/cli/db-commands';
import { DataDirInUseError } from '../src/database/data-dir-lock';
import { openDatabaseServer } from '../src/database/database-server';
import { createTestDatabase, startTestApp, TestDatabase } from './support/test-app';
import { Client } from 'pg';
import { bearer, login, register, SignedInClient } from './support/accounts';
import { buildIfNeeded } from './support/built-app-process';
import { ControlledClock } from './support/controlled-clock';
import { enableTotp, passwordStep, secondStep } from './support/mfa';
import { APP_ORIGIN, PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { get, post } from './support/http';

/** The link of the newest mail of this purpose to this address in LOG_DIR/mail.log, if any. */
function mailLink(logDir: string, to: string, purpose: string): string | undefined {
  const path = join(logDir, 'mail.log');
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const mails = lines.map((line) => JSON.parse(line) as { to: string; purpose: string; link: string });
  return mails.reverse().find((mail) => mail.to === to && mail.purpose === purpose)?.link;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ADMIN = { ADMIN_EMAIL: 'Admin@Example.com', ADMIN_PASSWORD: 'Adm1n-Str0ng-Passphrase' };

// Each case starts the built command in processes of their own, each opening a database: on a busy
// 2-core machine the promote case alone took 59 s of the default 60.
jest.setTimeout(180_000);

describe('db command', () => {
  let database: TestDatabase;
  let dataDir: string;
  let settings: Settings;
  const printed: string[] = [];
  const print = (line: string): void => void printed.push(line);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'clickbit-data-'));
    // On the embedded default the command works on a real directory (a second process must be refused).
    const env = database.env.DATA_DIR ? { DATA_DIR: dataDir } : database.env;
    settings = loadSettings({ ENVIRONMENT: 'test', BCRYPT_ROUNDS: '4', ...ADMIN, ...env });
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function adminCount(): Promise<number> {
    const server = await openDatabaseServer(settings.database);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE role = 'admin'");
      return Number(rows[0].n);
    } finally {
      await client.end();
      await server.close();
    }
  }

  it('reports pending migrations until create applies them', async () => {
    await expect(health(settings, print)).rejects.toThrow(/migrations are pending/);
    await create(settings, print);
    expect(printed.join('\n')).toMatch(/applied \d+ migration\(s\): CreateUsers/);
    await expect(health(settings, print)).resolves.toBeUndefined();
    expect(printed.at(-1)).toMatch(/^database reachable, latency [\d.]+ ms, no migration pending$/);
  });

  it('seeds one admin however often it runs', async () => {
    await seed(settings, print);
    await seed(settings, print);
    expect(printed.slice(-1)[0]).toBe('admin admin@example.com already present');
    expect(await adminCount()).toBe(1);
  });

  it('refuses a weak ADMIN_PASSWORD', async () => {
    const env = database.env.DATA_DIR ? { DATA_DIR: dataDir } : database.env;
    const weak = loadSettings({
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: 'other@example.com',
      ADMIN_PASSWORD: 'password',
      ...env,
    });
    await expect(seed(weak, print)).rejects.toThrow(/^ADMIN_PASSWORD is too easy to guess/);
  });

  it('fails health with one line when the database is unreachable', async () => {
    const dead = loadSettings({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    await expect(health(dead, print)).rejects.toThrow(/ECONNREFUSED/);
  });

  describe('when ADMIN_EMAIL already belongs to an ordinary account', () => {
    const boss = { ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'Adm1n-Str0ng-Passphrase' };
    const squatter = { email: 'boss@example.com', password: 'Squatter-0wn-Passphrase' };
    const sharedDatabase = (): TestDatabase => ({
      env: database.env.DATA_DIR ? { DATA_DIR: dataDir } : database.env,
      drop: async () => undefined,
    });

    /** The built command, as an operator runs it (`npm run db -- …`), in a scratch directory. */
    async function runDb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const env = {
        PATH: process.env.PATH,
        ENVIRONMENT: 'test',
        BCRYPT_ROUNDS: '4',
        DATA_DIR: dataDir,
        ...(database.env.DATABASE_URL ? { DATABASE_URL: database.env.DATABASE_URL } : {}),
        ...boss,
      };
      const script = join(__dirname, '..', 'dist', 'src', 'cli', 'db.command.js');
      return new Promise((done) => {
        execFile(process.execPath, [script, ...args], { cwd: dataDir, env }, (error, stdout, stderr) =>
          done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
        );
      });
    }

    it('refuses to seed it, and `seed --promote` takes it over: password, verification, sessions, links, factors', async () => {
      buildIfNeeded();
      const clock = new ControlledClock();
      const app = { database: sharedDatabase(), env: PASSKEY_TEST_ENV, clock };
      let t = await startTestApp(app);
      let held: SignedInClient;
      let resetLink: string;
      const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
      let recoveryCode: string;
      let pendingSignIn: string;
      try {
        await register(t.app, squatter);
        held = await login(t.app, squatter);
        expect((await get(t.app, '/admin/users', bearer(held.accessToken))).statusCode).toBe(403);
        // The squatter's own ways in: a passkey, TOTP with its recovery codes, and a sign-in waiting for a code.
        await passkeyCalls(t.app).addPasskey(held, authenticator);
        [recoveryCode] = (await enableTotp(t.app, held, clock)).recoveryCodes;
        pendingSignIn = await passwordStep(t.app, squatter);
        await post(t.app, '/user/auth/forgot-password', { email: squatter.email });
        resetLink = await until(() => mailLink(t.logDir, squatter.email, 'reset_password'), 'the reset mail', 5000);
      } finally {
        await t.close();
      }

      const refused = await runDb('seed');
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/boss@example\.com .*not an admin.*--promote/),
      ]);
      expect(await adminCount()).toBe(1);

      const promoted = await runDb('seed', '--promote');
      expect(promoted).toMatchObject({ code: 0, stderr: '' });
      expect(promoted.stdout).toMatch(/^admin boss@example\.com promoted/m);
      const again = await runDb('seed');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^admin boss@example\.com already present$/m);
      expect(await adminCount()).toBe(2);

      t = await startTestApp(app);
      try {
        const byLogin = (password: string) => post(t.app, '/user/auth/login', { email: squatter.email, password });
        expect((await byLogin(squatter.password)).statusCode).toBe(401);
        const operator = await login(t.app, { email: squatter.email, password: boss.ADMIN_PASSWORD });
        const users = await get(t.app, '/admin/users', bearer(operator.accessToken));
        expect(users.statusCode).toBe(200);
        const me = await get(t.app, '/user/me', bearer(operator.accessToken));
        expect(me.json()).toMatchObject({ role: 'admin', emailVerified: true, mfaEnabled: false, passkeyCount: 0 });
        expect((await secondStep(t.app, pendingSignIn, recoveryCode)).statusCode).toBe(401);
        expect((await passkeyCalls(t.app).signIn(authenticator)).statusCode).toBe(401);
        expect((await get(t.app, '/user/me', bearer(held.accessToken))).statusCode).toBe(401);
        const refresh = await post(t.app, '/user/auth/refresh', { refreshToken: held.refreshToken });
        expect(refresh.statusCode).toBe(401);
        const token = new URL(resetLink).searchParams.get('token');
        const reset = await post(t.app, '/user/auth/reset-password', {
          token,
          newPassword: 'Squatter-Back-1n-Passphrase',
        });
        expect(reset.statusCode).toBe(400);
      } finally {
        await t.close();
      }
    });
  });

  it('lets one process at a time open an embedded data directory', async () => {
    const embedded = loadSettings({ DATA_DIR: dataDir }).database;
    const first = await openDatabaseServer(embedded);
    try {
      // The lock names the owner; here the owner is this very process, so fake another live one.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dataDir, 'service.lock'), String(process.ppid));
      await expect(openDatabaseServer(embedded)).rejects.toThrow(DataDirInUseError);
    } finally {
      await first.close();
    }
  });
});
