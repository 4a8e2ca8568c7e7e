import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseConfig } from '../config/database.config';
import { DataDirLock } from './data-dir-lock';

/** Where TypeORM connects: a PostgreSQL URL, with the pool size that server can take. */
export interface DatabaseServer {
  readonly url: string;
  readonly poolSize: number;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** The embedded database's files, under DATA_DIR. */
function embeddedDirectory(config: DatabaseConfig): string {
  return join(config.dataDir, 'pgdata');
}

/**
 * What opening the embedded database is about to do, said before the seconds it takes (a first start
 * initialises a new database); nothing for a server, which answers at once.
 */
export function openingNote(config: DatabaseConfig): string | undefined {
  if (config.url || config.inMemory) return undefined;
  return existsSync(embeddedDirectory(config))
    ? `opening the embedded database (PGlite) at ${config.dataDir}`
    : `initialising the embedded database (PGlite) at ${config.dataDir}: a first start takes about 10 seconds`;
}

/**
 * With DATABASE_URL, the configured PostgreSQL. Without it, PGlite (loaded only then) served on a
 * loopback port, so the same pg driver, migrations and queries run on both.
 */
export async function openDatabaseServer(config: DatabaseConfig): Promise<DatabaseServer> {
  if (config.url) {
    return { url: config.url, poolSize: config.poolSize, embedded: false, close: async () => undefined };
  }
  const lock = config.inMemory ? undefined : DataDirLock.acquire(config.dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(config.inMemory ? undefined : embeddedDirectory(config));
    // PGlite has one session: one pooled connection, so a transaction never waits on itself.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    return {
      url,
      poolSize: 1,
      embedded: true,
      close: async () => {
        await server.stop();
        await db.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
