import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfig } from '../src/config/app.config';
import { AuthConfig } from '../src/config/auth.config';
import { loadConfig, TypedConfigService } from '../src/config/config.module';
import { DatabaseConfig } from '../src/config/database.config';
import { InvalidSettingsError } from '../src/config/settings';
import { BuiltAppProcess, buildIfNeeded } from './support/built-app-process';
import { runMain } from './support/run-main';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

const BAD = { PORT: 'abc', BCRYPT_ROUNDS: '99' };
const BAD_LINES = ['PORT must be a number between 1 and 65535', 'BCRYPT_ROUNDS must be a number between 4 and 15'];

describe('ConfigModule: the settings seam', () => {
  it("rejects a bad setting in ConfigModule's validate, one line per bad value, before any module is built", async () => {
    const compiling = Test.createTestingModule({
      imports: [loadConfig(BAD).then((config) => config.module)],
    }).compile();
    const error: unknown = await compiling.catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).problems).toEqual(BAD_LINES);
  });

  it('stops `npm start` on a bad setting with the same lines and exit code 1', async () => {
    buildIfNeeded();
    const { code, lines } = await runMain(BAD);
    expect(lines).toEqual(BAD_LINES.map((line) => `Invalid setting: ${line}`));
    expect(code).toBe(1);
  }, 300_000);

  it("refuses production on the original .env's placeholder SECRET_KEY and without DATABASE_URL, one line each", async () => {
    buildIfNeeded();
    const { code, lines } = await runMain({
      ENVIRONMENT: 'production',
      SECRET_KEY: 'your-secret-key-here-generate-with-openssl-rand-hex-32',
    });
    expect(lines).toEqual([
      'Invalid setting: SECRET_KEY is a published placeholder, so anyone could sign tokens with it: ' +
        'generate one with `openssl rand -hex 32`',
      'Invalid setting: DATABASE_URL is required in production: the embedded database would keep every account ' +
        'inside the container (set it to a postgresql:// URL)',
    ]);
    expect(code).toBe(1);
  }, 300_000);

  it('names a mistyped DATABASE_URL in .env beside the refusal it causes', async () => {
    buildIfNeeded();
    const dotEnv = 'DATABSE_URL=postgresql://clickbit@db.internal:5432/clickbit\n';
    const env = { ENVIRONMENT: 'production', SECRET_KEY: 'k7Qp2vX9zL4mN8rT1wY6bH3jF5cD0sGa' };
    const { code, lines } = await runMain(env, dotEnv);
    expect(lines).toEqual([
      'DATABSE_URL is not a setting: did you mean DATABASE_URL?',
      expect.stringMatching(/^Invalid setting: DATABASE_URL is required in production/),
    ]);
    expect(code).toBe(1);
  }, 300_000);

  it('warns at start of each mistyped setting in .env or the environment, with the nearest name', async () => {
    buildIfNeeded();
    const dotEnv = 'DATABSE_URL=postgresql://localhost/x\nRATE_LIMIT_ENABLE=false\nLOG_LEVLE=debug\n';
    const app = await BuiltAppProcess.start({ LOG_STDOUT: 'true', ACCESS_TOKEN_EXPIRE_MINUTE: '5' }, { dotEnv });
    try {
      for (let waited = 0; !app.output.includes('listening on') && waited < 10_000; waited += 50) {
        await new Promise((done) => setTimeout(done, 50));
      }
      const warnings = app.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: string; message: string })
        .filter((line) => line.level === 'WARNING')
        .map((line) => line.message);
      // The names of .env first (in the order of their names: node's parseEnv sorts them), then the environment's.
      expect(warnings).toEqual([
        'DATABSE_URL is not a setting: did you mean DATABASE_URL?',
        'LOG_LEVLE is not a setting: did you mean LOG_LEVEL?',
        'RATE_LIMIT_ENABLE is not a setting: did you mean RATE_LIMIT_ENABLED?',
        'ACCESS_TOKEN_EXPIRE_MINUTE is not a setting: did you mean ACCESS_TOKEN_EXPIRE_MINUTES?',
      ]);
    } finally {
      await app.cleanUp();
    }
  }, 300_000);

  describe('two apps with different settings in one process', () => {
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      first = await startTestApp({ env: { APP_NAME: 'First Service', ACCESS_TOKEN_EXPIRE_MINUTES: '5' } });
      second = await startTestApp({ env: { APP_NAME: 'Second Service', ACCESS_TOKEN_EXPIRE_MINUTES: '9' } });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    it('reads through ConfigService the very values injected as the typed classes', () => {
      for (const { app } of [first, second]) {
        const config = app.get<TypedConfigService>(ConfigService);
        expect(config.get('app', { infer: true })).toBe(app.get(AppConfig));
        expect(config.get('auth', { infer: true })).toBe(app.get(AuthConfig));
        expect(config.get('database', { infer: true })).toBe(app.get(DatabaseConfig));
      }
      const minutes = (test: TestApp): number =>
        test.app.get<TypedConfigService>(ConfigService).get('auth.accessTokenExpireMinutes', { infer: true });
      expect([minutes(first), minutes(second)]).toEqual([5, 9]);
    });

    it('keeps each app to its own settings and leaves process.env alone', async () => {
      const titles = await Promise.all(
        [first, second].map(async ({ app }) => {
          const response = await get(app, '/openapi.json');
          return (response.json() as { info: { title: string } }).info.title;
        }),
      );
      expect(titles).toEqual(['First Service', 'Second Service']);
      expect(process.env.APP_NAME).toBeUndefined();
      expect(first.app.get(ConfigService).get('PATH')).toBeUndefined();
    });
  });
});
