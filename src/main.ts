import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from './app.setup';
import { LoadedConfig, loadConfig } from './config/config.module';
import { readEnvironment } from './config/environment-file';
import { productionWarnings } from './config/production-warnings';
import { ensureSecretKey } from './config/secret-key';
import { InvalidSettingsError } from './config/settings';
import { unknownSettingsAtStart } from './config/unknown-settings';
import { openDatabaseServer, openingNote } from './database/database-server';
import { assertDatabaseReachable } from './database/database-unreachable';
import { pendingMigrationNames, runPendingMigrations } from './database/migrations-runner';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { assertCanListen, explainListenFailure } from './lifecycle/listen-address';
import { ShutdownState } from './lifecycle/shutdown-state';
import { LogFiles } from './logging/log-files';
import { ROOT_LOGGER } from './logging/logging.module';
import { startLine } from './logging/start-lines';

interface StartConfig {
  config: LoadedConfig;
  secretKeyNote?: string;
  /** Names in .env or the environment that look meant for the service but are no setting. */
  unknownSettings: string[];
}

async function configOrExit(): Promise<StartConfig> {
  const unknownSettings = unknownSettingsAtStart();
  try {
    const config = await loadConfig(readEnvironment());
    return { config, secretKeyNote: ensureSecretKey(config.settings), unknownSettings };
  } catch (error) {
    // A mistyped name is often why a setting is missing: say so beside the refusal.
    for (const warning of unknownSettings) process.stderr.write(`${warning}\n`);
    const lines = error instanceof InvalidSettingsError ? error.problems : [(error as Error).message];
    for (const line of lines) process.stderr.write(`Invalid setting: ${line}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const { config, secretKeyNote, unknownSettings } = await configOrExit();
  const { settings } = config;
  const { host, port } = settings.app;
  await assertCanListen(host, port);
  // Before the logger exists (it comes with the app): a plain line, like the refusals above.
  const note = openingNote(settings.database);
  if (note) process.stderr.write(`${note}\n`);
  const databaseServer = await openDatabaseServer(settings.database);
  await assertDatabaseReachable(databaseServer);
  const app = await createApp(config, databaseServer);
  const logger = app.get<Logger>(ROOT_LOGGER);
  if (secretKeyNote) logger.info(secretKeyNote);
  for (const warning of [...unknownSettings, ...productionWarnings(settings)]) logger.warn(warning);
  // Our own signal handling, not enableShutdownHooks(): readiness must turn 503 first, a second signal
  // must exit at once, SHUTDOWN_DELAY_MS keeps serving while proxies move away, and SHUTDOWN_TIMEOUT_MS
  // bounds the drain.
  installGracefulShutdown(app, {
    delayMs: settings.app.shutdownDelayMs,
    timeoutMs: settings.app.shutdownTimeoutMs,
  });
  const dataSource = app.get(DataSource);
  const pending = await pendingMigrationNames(dataSource);
  if (pending.length > 0) logger.info(`applying ${pending.length} pending migration(s): ${pending.join(', ')}`);
  await runPendingMigrations(dataSource, databaseServer);
  // A signal during the migrations has already closed the app: do not start serving after it.
  if (app.get(ShutdownState).shuttingDown) return;
  await app.listen({ port, host }).catch((error: unknown) => {
    throw explainListenFailure(error, host, port);
  });
  logger.info(startLine(settings));
  // Standard output is buffered in 4 KiB: the start line must show at once, not after some traffic.
  app.get(LogFiles).stdout?.flush();
}

// Nest's console logger, used before ours is attached, colours its lines unless told not to.
if (!process.stderr.isTTY) process.env.NO_COLOR ??= '1';

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
