import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter } from '../../src/app.setup';
import { ensureSecretKey } from '../../src/config/secret-key';
import { Environment, loadSettings } from '../../src/config/settings';
import { openDatabaseServer } from '../../src/database/database-server';
import { runPendingMigrations } from '../../src/database/migrations-runner';
import { createTestDatabase, SERVER_REDIS_URL, TestDatabase } from './test-app';

/** Hosts the real application plus controllers that exist only in a test. */
@Module({})
class ProbeHostModule {}

export interface ProbeApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real application (AppModule, configureApp, migrations) with extra test-only routes: a route
 * with a path parameter, or one that reads and writes the database, before the service's own routes
 * of that kind exist.
 */
export async function startAppWithProbeRoutes(
  controllers: Type[],
  options: { env?: Environment; database?: TestDatabase } = {},
): Promise<ProbeApp> {
  const database = options.database ?? (await createTestDatabase());
  const logDir = mkdtempSync(join(tmpdir(), 'clickbit-logs-'));
  const settings = loadSettings({
    ENVIRONMENT: 'test',
    SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
    BCRYPT_ROUNDS: '4',
    LOG_DIR: logDir,
    LOG_STDOUT: 'false',
    RATE_LIMIT_ENABLED: 'false',
    ...(SERVER_REDIS_URL ? { REDIS_URL: SERVER_REDIS_URL } : {}),
    ...database.env,
    ...options.env,
  });
  ensureSecretKey(settings);
  const server = await openDatabaseServer(settings.database);
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: ProbeHostModule, imports: [AppModule.forRoot(settings, server)], controllers },
    createFastifyAdapter(settings.app),
    { bufferLogs: true, abortOnError: false },
  );
  await configureApp(app, settings);
  const dataSource = app.get(DataSource);
  await runPendingMigrations(dataSource, server);
  return {
    app,
    dataSource,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
