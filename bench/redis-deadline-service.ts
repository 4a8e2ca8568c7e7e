import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from '../src/app.setup';
import { loadConfig } from '../src/config/config.module';
import { readEnvironment } from '../src/config/environment-file';
import { ensureSecretKey } from '../src/config/secret-key';
import { openDatabaseServer } from '../src/database/database-server';
import { runPendingMigrations } from '../src/database/migrations-runner';
import { REDIS_ANSWER_DEADLINE } from '../src/security/redis/redis-connection';

/**
 * The service as main.ts starts it, with one difference: the Redis answer deadline is
 * BENCH_REDIS_DEADLINE_MS instead of REDIS_ANSWER_DEADLINE_MS (bench/redis-deadline.ts runs one per
 * value). Settings come from the environment as for `npm start`; SIGTERM closes it.
 */
async function main(): Promise<void> {
  const deadlineMs = Number(process.env.BENCH_REDIS_DEADLINE_MS);
  if (!(deadlineMs > 0)) throw new Error('BENCH_REDIS_DEADLINE_MS must be a positive number of milliseconds');
  const config = await loadConfig(readEnvironment());
  ensureSecretKey(config.settings);
  const server = await openDatabaseServer(config.settings.database);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config.module, server)] })
    .overrideProvider(REDIS_ANSWER_DEADLINE)
    .useValue(deadlineMs)
    .compile();
  const adapter = createFastifyAdapter(config.settings.app);
  await adapter.init();
  const app = await configureApp(
    moduleRef.createNestApplication<NestFastifyApplication>(adapter, NEST_APP_OPTIONS),
    config.settings,
  );
  await runPendingMigrations(app.get(DataSource), server);
  await app.listen({ port: config.settings.app.port, host: config.settings.app.host });
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`redis-deadline-service failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
