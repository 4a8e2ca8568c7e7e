import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import { ensureSecretKey } from '../../src/config/secret-key';
import { loadConfig } from '../../src/config/config.module';
import { Environment, loadSettings, Settings } from '../../src/config/settings';
import { DatabaseServer, openDatabaseServer } from '../../src/database/database-server';
import { COMPILED_MIGRATIONS, MigrationList } from '../../src/database/migrations';
import { runPendingMigrations } from '../../src/database/migrations-runner';
import { buildOpenApiDocument } from '../../src/docs/openapi-document';
import { createDatabaseIfMissing, dropDatabase } from '../../src/database/postgres-database';
import { checkTraffic, Exchange, recordTraffic } from './openapi-traffic';

/** DATABASE_URL / REDIS_URL of the test run: set means the machine's servers, unset the embedded default. */
export const SERVER_DATABASE_URL = process.env.DATABASE_URL;
export const SERVER_REDIS_URL = process.env.REDIS_URL;

export interface TestDatabase {
  env: Environment;
  drop(): Promise<void>;
}

/** A database of its own: a fresh test_<random> database on PostgreSQL, else an in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!SERVER_DATABASE_URL) return { env: { DATA_DIR: 'memory://' }, drop: async () => undefined };
  const url = new URL(SERVER_DATABASE_URL);
  url.pathname = `/test_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(url.toString());
  return { env: { DATABASE_URL: url.toString() }, drop: () => dropDatabase(url.toString()) };
}

export interface TestApp {
  app: NestFastifyApplication;
  settings: Settings;
  dataSource: DataSource;
  logDir: string;
  readLog(file: 'app.log' | 'error.log' | 'security.log'): string;
  /** Log files are written asynchronously: wait (up to 3 s) for a line matching the pattern. */
  waitForLog(file: 'app.log' | 'error.log' | 'security.log', pattern: RegExp): Promise<string>;
  /** Stops the app; throws the list of exchanges that contradict the OpenAPI document, if any. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Environment;
  /** Share a database between several apps (two instances behind one load balancer). */
  database?: TestDatabase;
  /** Replaces the app's Clock (e.g. a ControlledClock) so a test can move time. */
  clock?: Clock;
  /** Replaces the migrations compiled into the service (e.g. none: a build that lacks them). */
  migrations?: MigrationList;
}

/**
 * Production requires DATABASE_URL: on the embedded run, a production app reaches its in-memory
 * database through the URL of the embedded server, which keeps its one connection and needs no lock.
 */
async function embeddedServerForProduction(
  database: TestDatabase,
  env: Environment | undefined,
): Promise<DatabaseServer | undefined> {
  if (env?.ENVIRONMENT !== 'production' || database.env.DATABASE_URL || env.DATABASE_URL) return undefined;
  return openDatabaseServer(loadSettings(database.env).database);
}

/** Boots the real application (AppModule, configureApp, migrations, real database) for HTTP tests. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const logDir = mkdtempSync(join(tmpdir(), 'clickbit-logs-'));
  const embeddedForProduction = await embeddedServerForProduction(database, options.env);
  const config = await loadConfig({
    ENVIRONMENT: 'test',
    SECRET_KEY: 'test-secret-key-with-more-than-32-characters',
    BCRYPT_ROUNDS: '4',
    LOG_DIR: logDir,
    LOG_LEVEL: 'info',
    LOG_STDOUT: 'false',
    // Limits are switched on by the tests that are about them.
    RATE_LIMIT_ENABLED: 'false',
    ...(SERVER_REDIS_URL ? { REDIS_URL: SERVER_REDIS_URL } : {}),
    ...database.env,
    ...(embeddedForProduction ? { DATABASE_URL: embeddedForProduction.url } : {}),
    ...options.env,
  }).catch(async (error: unknown) => {
    await embeddedForProduction?.close();
    throw error;
  });
  const { settings } = config;
  ensureSecretKey(settings);
  const server = embeddedForProduction ?? (await openDatabaseServer(settings.database));
  const exchanges: Exchange[] = [];
  // The production module graph through @nestjs/testing, so a test may swap a provider such as the Clock.
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config.module, server)] });
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  if (options.migrations) builder.overrideProvider(COMPILED_MIGRATIONS).useValue(options.migrations);
  // NestFactory.create holds Nest's logger lines until listen() or flushLogs() (bufferLogs); the testing
  // module ignores that option, so the buffer is attached here to keep the logging production has.
  Logger.attachBuffer();
  const moduleRef = await builder.compile();
  const adapter = createFastifyAdapter(settings.app);
  // NestFactory.create initialises the adapter (middie) before the app's hooks; the testing module does not.
  await adapter.init();
  const app = await configureApp(
    moduleRef.createNestApplication<NestFastifyApplication>(adapter, NEST_APP_OPTIONS),
    settings,
    { registerHooks: (fastify) => recordTraffic(fastify, exchanges) },
  );
  const dataSource = app.get(DataSource);
  await runPendingMigrations(dataSource, server);
  const readLog = (file: string): string => {
    try {
      return readFileSync(join(logDir, file), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    app,
    settings,
    dataSource,
    logDir,
    readLog,
    waitForLog: async (file, pattern) => {
      const deadline = Date.now() + 3000;
      while (!pattern.test(readLog(file)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return readLog(file);
    },
    close: async () => {
      const document = buildOpenApiDocument(app, settings.app);
      await app.close();
      if (!options.database) await database.drop();
      rmSync(logDir, { recursive: true, force: true });
      const violations = checkTraffic(document, exchanges);
      if (violations.length > 0) {
        throw new Error(`${violations.length} exchange(s) contradict the OpenAPI document:\n${violations.join('\n')}`);
      }
    },
  };
}
