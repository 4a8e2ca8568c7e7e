import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfig } from '../src/config/app.config';
import { AuthConfig } from '../src/config/auth.config';
import { loadConfig, TypedConfigService } from '../src/config/config.module';
import { DatabaseConfig } from '../src/config/database.config';
import { InvalidSettingsError } from '../src/config/settings';
import { buildIfNeeded } from './support/built-app-process';
import { startTestApp, TestApp } from './support/test-app';

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
    const workDir = mkdtempSync(join(tmpdir(), 'clickbit-config-'));
    try {
      const child = spawn(process.execPath, [join(resolve(__dirname, '..'), 'dist', 'src', 'main.js')], {
        cwd: workDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH, ENVIRONMENT: 'test', LOG_DIR: join(workDir, 'logs'), ...BAD },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect(output.split('\n').filter(Boolean)).toEqual(BAD_LINES.map((line) => `Invalid setting: ${line}`));
      expect(code).toBe(1);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
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
          const response = await app.inject({ method: 'GET', url: '/openapi.json' });
          return (response.json() as { info: { title: string } }).info.title;
        }),
      );
      expect(titles).toEqual(['First Service', 'Second Service']);
      expect(process.env.APP_NAME).toBeUndefined();
      expect(first.app.get(ConfigService).get('PATH')).toBeUndefined();
    });
  });
});
