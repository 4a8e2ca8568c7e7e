import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import { SealedSecretStores } from '../src/common/secrets/sealed-secret-stores';
import { SecretCipher } from '../src/common/secrets/secret-cipher';
import { bearer, Credentials, login, register } from './support/accounts';
import { buildIfNeeded } from './support/built-app-process';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { createTestDatabase, SERVER_DATABASE_URL, startTestApp, TestApp, TestDatabase } from './support/test-app';
import { get, post } from './support/http';

const OLD = 'the-secret-key-before-the-operator-rotated-it';
const NEW = 'the-secret-key-after-the-operator-rotated-it-2026';

jest.setTimeout(240_000);

/** A database that outlives an app (a restart): PostgreSQL, or the embedded one in a directory. */
async function lastingDatabase(): Promise<TestDatabase & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clickbit-data-'));
  const server = SERVER_DATABASE_URL ? await createTestDatabase() : undefined;
  return {
    dataDir,
    env: server?.env ?? { DATA_DIR: dataDir },
    drop: async () => {
      await server?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Which stored secrets a service holding only SECRET_KEY=key could open: TOTP secrets and private signing keys. */
async function sealedUnder(t: TestApp, key: string): Promise<{ totp: boolean[]; signingKeys: boolean[] }> {
  const only = new SecretCipher({ secretKey: key, secretKeyPrevious: [] });
  const opens = (label: string, ciphertext: Buffer, additionalData: string): boolean => {
    try {
      return only.open(label, ciphertext, additionalData).plaintext.length > 0;
    } catch {
      return false;
    }
  };
  const totp: { user_id: string; secret_ciphertext: Buffer }[] = await t.dataSource.query(
    'SELECT user_id, secret_ciphertext FROM totp_factors ORDER BY created_at',
  );
  const keys: { kid: string; private_key_ciphertext: Buffer }[] = await t.dataSource.query(
    'SELECT kid, private_key_ciphertext FROM signing_keys ORDER BY signs_from',
  );
  return {
    totp: totp.map((row) => opens('clickbit/mfa/totp-secret/v1', row.secret_ciphertext, `totp:${row.user_id}:v1`)),
    signingKeys: keys.map((row) => opens('clickbit/keys/signing-key/v1', row.private_key_ciphertext, row.kid)),
  };
}

describe('SECRET_KEY rotation with SECRET_KEY_PREVIOUS', () => {
  const clock = new ControlledClock();
  let database: TestDatabase & { dataDir: string };
  let t: TestApp | undefined;
  const start = async (env: Record<string, string>): Promise<TestApp> => {
    await t?.close();
    t = await startTestApp({ database, clock, env });
    return t;
  };
  const me = async (app: TestApp, token: string): Promise<number> =>
    (await get(app.app, '/user/me', bearer(token))).statusCode;

  beforeAll(async () => {
    database = await lastingDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('keeps TOTP sign-in, the signing keys and live tokens working, and reencrypt leaves nothing under the old key', async () => {
    let app = await start({ SECRET_KEY: OLD });
    const first: Credentials = await register(app.app);
    const second: Credentials = await register(app.app);
    const plain: Credentials = await register(app.app);
    const { secret: firstSecret } = await enableTotp(app.app, await login(app.app, first), clock);
    const { secret: secondSecret } = await enableTotp(app.app, await login(app.app, second), clock);
    const signedIn = await secondStep(app.app, await passwordStep(app.app, first), codeFor(firstSecret, clock));
    const { accessToken: live } = signedIn.json<{ accessToken: string }>();

    // A new SECRET_KEY alone: nothing stored opens, and signing is a 503, never a 500. (Its log line is
    // checked in signing-keys.e2e-spec.ts: here the log files of an app started after another stay empty.)
    app = await start({ SECRET_KEY: NEW });
    nextMidStep(clock);
    const login503 = await post(app.app, '/user/auth/login', plain);
    expect(login503.statusCode).toBe(503);
    expect(login503.headers['content-type']).toMatch(/^application\/problem\+json/);

    // The old one in SECRET_KEY_PREVIOUS: everything works, and what is read is sealed again under SECRET_KEY.
    app = await start({ SECRET_KEY: NEW, SECRET_KEY_PREVIOUS: OLD });
    nextMidStep(clock);
    expect(await me(app, live)).toBe(200);
    const again = await secondStep(app.app, await passwordStep(app.app, first), codeFor(firstSecret, clock));
    expect(again.statusCode).toBe(200);
    expect(await sealedUnder(app, NEW)).toEqual({ totp: [true, false], signingKeys: [true, true] });

    const printed: string[] = [];
    await app.app.get(SealedSecretStores).runReencrypt((line) => printed.push(line));
    expect(printed.sort()).toEqual([
      'signing_keys: 0 re-encrypted under SECRET_KEY',
      'totp_factors: 1 re-encrypted under SECRET_KEY',
    ]);
    expect(await sealedUnder(app, NEW)).toEqual({ totp: [true, true], signingKeys: [true, true] });
    expect(await sealedUnder(app, OLD)).toEqual({ totp: [false, false], signingKeys: [false, false] });

    // The old key can go: the second account's TOTP secret, never read since, opens under SECRET_KEY alone.
    app = await start({ SECRET_KEY: NEW });
    nextMidStep(clock);
    const secondSignIn = await secondStep(app.app, await passwordStep(app.app, second), codeFor(secondSecret, clock));
    expect(secondSignIn.statusCode).toBe(200);
    expect(await me(app, secondSignIn.json<{ accessToken: string }>().accessToken)).toBe(200);
  });

  it('with ALGORITHM=HS256, keeps tokens signed under a SECRET_KEY_PREVIOUS valid until they expire', async () => {
    const hs = { ALGORITHM: 'HS256' };
    let app = await start({ ...hs, SECRET_KEY: OLD });
    const credentials = await register(app.app);
    const { accessToken: before } = await login(app.app, credentials);
    app = await start({ ...hs, SECRET_KEY: NEW, SECRET_KEY_PREVIOUS: OLD });
    expect(await me(app, before)).toBe(200);
    const { accessToken: after } = await login(app.app, credentials);
    expect(() => jwt.verify(after, NEW, { algorithms: ['HS256'] })).not.toThrow();
    const expired = jwt.sign({ ...(jwt.decode(before) as object), exp: Math.floor(Date.now() / 1000) - 1 }, OLD);
    expect(await me(app, expired)).toBe(401);
    app = await start({ ...hs, SECRET_KEY: NEW });
    expect(await me(app, before)).toBe(401);
    expect(await me(app, after)).toBe(200);
  });

  describe('the db command, as an operator runs it', () => {
    async function runDb(
      env: Record<string, string>,
      ...args: string[]
    ): Promise<{ code: number; stdout: string; stderr: string }> {
      await t?.close();
      t = undefined;
      const script = join(__dirname, '..', 'dist', 'src', 'cli', 'db.command.js');
      const processEnv = { PATH: process.env.PATH, ENVIRONMENT: 'test', ...database.env, ...env };
      return new Promise((done) => {
        execFile(
          process.execPath,
          [script, ...args],
          { cwd: database.dataDir, env: processEnv },
          (error, stdout, stderr) => done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
        );
      });
    }

    beforeAll(() => buildIfNeeded());

    it('rotates keys and re-encrypts, and refuses rotate-keys under HS256 with one line', async () => {
      const rotated = await runDb({ SECRET_KEY: NEW }, 'rotate-keys');
      expect(rotated).toMatchObject({ code: 0, stderr: '' });
      expect(rotated.stdout).toMatch(/^key \S+ signs from \S+; key \S+ retires then/);
      const reencrypted = await runDb({ SECRET_KEY: NEW, SECRET_KEY_PREVIOUS: OLD }, 'reencrypt');
      expect(reencrypted).toMatchObject({ code: 0, stderr: '' });
      expect(reencrypted.stdout.split('\n').filter(Boolean).sort()).toEqual([
        'signing_keys: 0 re-encrypted under SECRET_KEY',
        'totp_factors: 0 re-encrypted under SECRET_KEY',
      ]);
      const refused = await runDb({ SECRET_KEY: NEW, ALGORITHM: 'HS256' }, 'rotate-keys', '--revoke-current');
      expect(refused.code).toBe(1);
      expect(refused.stderr.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^db rotate-keys failed: ALGORITHM is HS256: tokens are signed with SECRET_KEY/),
      ]);
    });
  });
});
