import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutageLog } from '../common/problem-details/outage-log';
import { DatabaseConfig } from '../config/database.config';
import { DatabaseOutageLog } from './database-outage-log';
import { dataSourceOptions } from './data-source-options';
import { DatabaseServer } from './database-server';
import { COMPILED_MIGRATIONS, MigrationList, MIGRATIONS } from './migrations';

export const DATABASE_SERVER = Symbol('DATABASE_SERVER');

/**
 * The database server (the embedded one, or the configured URL), closed when the application shuts
 * down, after the pool. Nest shuts modules down from the root towards the leaves, and TypeORM's module
 * is global, so it comes last: left to itself it would close the pool after the server had gone. This
 * module sits deep (TypeORM's module imports it), after the feature modules that may still write
 * while they stop, and closes the pool itself first (TypeORM's own hook then finds it closed).
 */
@Module({})
class DatabaseServerModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE_SERVER) private readonly server: DatabaseServer,
    private readonly moduleRef: ModuleRef,
  ) {}

  static forRoot(server: DatabaseServer): DynamicModule {
    const providers = [
      { provide: DATABASE_SERVER, useValue: server },
      { provide: COMPILED_MIGRATIONS, useValue: MIGRATIONS },
    ];
    return { module: DatabaseServerModule, providers, exports: providers };
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      const dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(), { strict: false });
      if (dataSource.isInitialized) await dataSource.destroy();
    } finally {
      await this.server.close();
    }
  }
}

/** Global like TypeORM's DataSource: the error filter and the mail outbox report outages to it. */
@Global()
@Module({
  providers: [{ provide: OutageLog, useClass: DatabaseOutageLog }],
  exports: [OutageLog],
})
class DatabaseOutageModule {}

@Module({})
export class DatabaseModule {
  static forRoot(server: DatabaseServer): DynamicModule {
    const serverModule = DatabaseServerModule.forRoot(server);
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [serverModule],
          inject: [DatabaseConfig, COMPILED_MIGRATIONS],
          useFactory: (config: DatabaseConfig, migrations: MigrationList) => ({
            ...dataSourceOptions(config, server, migrations),
            // Every entity a feature module registers with TypeOrmModule.forFeature, and no other.
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
        serverModule,
        DatabaseOutageModule,
      ],
      exports: [serverModule],
    };
  }
}
