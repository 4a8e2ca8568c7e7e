import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/database.config';
import { DatabaseServer } from './database-server';
import { MigrationList, MIGRATIONS } from './migrations';
import { resilientPgDriver } from './resilient-pg-driver';

/** Bounded waits: a dead database answers an error within seconds instead of hanging requests. */
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 15_000;

/**
 * The options the application and the commands share. The entities are the caller's to add: the
 * application's feature modules register theirs (autoLoadEntities), the CLIs load ENTITY_FILES.
 */
export function dataSourceOptions(
  config: DatabaseConfig,
  server: DatabaseServer,
  migrations: MigrationList = MIGRATIONS,
): DataSourceOptions {
  return {
    type: 'postgres',
    driver: resilientPgDriver,
    url: server.url,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    // Failed queries surface as errors where they are handled (a 23505 is an expected 409).
    logging: config.echo ? 'all' : false,
    poolSize: server.poolSize,
    extra: {
      max: server.poolSize,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      application_name: 'clickbit-api',
    },
  };
}
