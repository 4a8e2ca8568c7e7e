import { DataSource } from 'typeorm';
import { readEnvironment } from './src/config/environment-file';
import { loadSettings } from './src/config/settings';
import { dataSourceOptions } from './src/database/data-source-options';
import { openDatabaseServer } from './src/database/database-server';
import { ENTITY_FILES } from './src/database/entity-files';

/**
 * The TypeORM CLI's data source (`npm run migration:*`): the same options as the service, on
 * DATABASE_URL or on the embedded database under DATA_DIR.
 */
async function cliDataSource(): Promise<DataSource> {
  const settings = loadSettings(readEnvironment());
  const server = await openDatabaseServer(settings.database);
  const dataSource = new DataSource({ ...dataSourceOptions(settings.database, server), entities: [ENTITY_FILES] });
  const destroy = dataSource.destroy.bind(dataSource);
  // The CLI destroys the data source when done; the embedded server must stop with it.
  dataSource.destroy = async () => {
    await destroy();
    await server.close();
  };
  return dataSource;
}

export const dataSource = cliDataSource();
