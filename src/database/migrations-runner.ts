import { Client } from 'pg';
import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { DatabaseServer } from './database-server';

/** Any constant works; it only has to be the same for every instance of the service. */
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies pending migrations. On PostgreSQL a session-level advisory lock, held on a connection of its
 * own, makes instances that start together apply each migration once. The embedded database needs
 * none: its directory lock already admits one process, and its single connection belongs to the pool.
 */
export async function runPendingMigrations(dataSource: DataSource, server: DatabaseServer): Promise<Migration[]> {
  if (server.embedded) return dataSource.runMigrations({ transaction: 'each' });
  const lockHolder = new Client({ connectionString: server.url, connectionTimeoutMillis: 3000 });
  // Ending the server while the lock is held must fail the migration run, not throw from an emitter.
  lockHolder.on('error', () => undefined);
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockHolder.end();
  }
}

/** The names of the migrations not yet applied, to say what a start is about to do. */
export async function pendingMigrationNames(dataSource: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.map((migration) => migration.name);
}
