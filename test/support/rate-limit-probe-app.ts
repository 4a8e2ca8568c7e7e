import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, DynamicModule, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter } from '../../src/app.setup';
import { Public } from '../../src/auth/decorators/public.decorator';
import { ensureSecretKey } from '../../src/config/secret-key';
import { loadSettings } from '../../src/config/settings';
import { openDatabaseServer } from '../../src/database/database-server';
import { runPendingMigrations } from '../../src/database/migrations-runner';
import { createTestDatabase, SERVER_REDIS_URL, TestApp, TestAppOptions } from './test-app';

/**
 * Test-only routes for the limiter's mechanics: two under /user/auth (so they share the auth
 * budget) and one elsewhere. The guard, storage and settings under test are the real ones.
 */
@Public()
@Controller()
class RateLimitProbeController {
  @Get('probe')
  probe(): { ok: true } {
    return { ok: true };
  }

  @Post('user/auth/probe-a')
  @HttpCode(200)
  authA(): { ok: true } {
    return { ok: true };
  }

  @Post('user/auth/probe-b')
  @HttpCode(200)
  authB(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class RateLimitProbeModule {}

/** startTestApp with the probe routes mounted beside the application's own. */
export async function startRateLimitProbeApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const logDir = mkdtempSync(join(tmpdir(), 'clickbit-logs-'));
  const settings = loadSettings({
    ENVIRONMENT: 'test',
    SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
    BCRYPT_ROUNDS: '4',
    LOG_DIR: logDir,
    LOG_LEVEL: 'info',
    LOG_STDOUT: 'false',
    RATE_LIMIT_ENABLED: 'false',
    ...(SERVER_REDIS_URL ? { REDIS_URL: SERVER_REDIS_URL } : {}),
    ...database.env,
    ...options.env,
  });
  ensureSecretKey(settings);
  const server = await openDatabaseServer(settings.database);
  const root: DynamicModule = {
    module: RateLimitProbeModule,
    imports: [AppModule.forRoot(settings, server)],
    controllers: [RateLimitProbeController],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, createFastifyAdapter(settings.app), {
    bufferLogs: true,
    abortOnError: false,
  });
  await configureApp(app, settings);
  const dataSource = app.get(DataSource);
  await runPendingMigrations(dataSource, server);
  return {
    app,
    settings,
    dataSource,
    logDir,
    readLog: (file) => {
      try {
        return readFileSync(join(logDir, file), 'utf8');
      } catch {
        return '';
      }
    },
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
