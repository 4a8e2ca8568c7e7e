import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonModule } from '../src/common/common.module';
import { loadConfig } from '../src/config/config.module';
import { DatabaseModule } from '../src/database/database.module';
import { DatabaseServer, openDatabaseServer } from '../src/database/database-server';
import { createTestDatabase } from './support/test-app';

describe('shutdown order', () => {
  it('closes the database server only after TypeORM has closed its pool', async () => {
    const database = await createTestDatabase();
    const config = await loadConfig({ ENVIRONMENT: 'test', ...database.env });
    const real = await openDatabaseServer(config.settings.database);
    const seen: { dataSource?: DataSource; poolOpenWhenServerClosed?: boolean } = {};
    const observed: DatabaseServer = {
      url: real.url,
      poolSize: real.poolSize,
      embedded: real.embedded,
      close: async () => {
        seen.poolOpenWhenServerClosed = seen.dataSource?.isInitialized;
        await real.close();
      },
    };
    const moduleRef = await Test.createTestingModule({
      imports: [config.module, CommonModule, DatabaseModule.forRoot(observed)],
    }).compile();
    const app = await moduleRef.init();
    seen.dataSource = app.get<DataSource>(getDataSourceToken());
    expect(seen.dataSource.isInitialized).toBe(true);
    await app.close();
    expect(seen.poolOpenWhenServerClosed).toBe(false);
    await database.drop();
  });
});
