import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.setup';
import { readEnvironment } from './config/environment-file';
import { productionWarnings } from './config/production-warnings';
import { ensureSecretKey } from './config/secret-key';
import { InvalidSettingsError, loadSettings, Settings } from './config/settings';
import { openDatabaseServer } from './database/database-server';
import { runPendingMigrations } from './database/migrations-runner';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { ShutdownState } from './lifecycle/shutdown-state';

function settingsOrExit(): Settings {
  try {
    const settings = loadSettings(readEnvironment());
    ensureSecretKey(settings);
    return settings;
  } catch (error) {
    const lines = error instanceof InvalidSettingsError ? error.problems : [(error as Error).message];
    for (const line of lines) process.stderr.write(`Invalid setting: ${line}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const settings = settingsOrExit();
  const databaseServer = await openDatabaseServer(settings.database);
  const app = await createApp(settings, databaseServer);
  for (const warning of productionWarnings(settings)) new Logger('Settings').warn(warning);
  // Our own signal handling, not enableShutdownHooks(): readiness must turn 503 first, a second signal
  // must exit at once, SHUTDOWN_DELAY_MS keeps serving while proxies move away, and SHUTDOWN_TIMEOUT_MS
  // bounds the drain.
  installGracefulShutdown(app, {
    delayMs: settings.app.shutdownDelayMs,
    timeoutMs: settings.app.shutdownTimeoutMs,
  });
  await runPendingMigrations(app.get(DataSource), databaseServer);
  // A signal during the migrations has already closed the app: do not start serving after it.
  if (app.get(ShutdownState).shuttingDown) return;
  await app.listen({ port: settings.app.port, host: settings.app.host });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
