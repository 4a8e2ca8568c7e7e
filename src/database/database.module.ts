import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseConfig } from '../config/database.config';
import { dataSourceOptions } from './data-source-options';
import { DatabaseServer } from './database-server';

export const DATABASE_SERVER = Symbol('DATABASE_SERVER');

@Module({})
export class DatabaseModule {
  static forRoot(server: DatabaseServer): DynamicModule {
    const serverProvider = { provide: DATABASE_SERVER, useValue: server };
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [DatabaseConfig],
          useFactory: (config: DatabaseConfig) => ({
            ...dataSourceOptions(config, server),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: [serverProvider],
      exports: [serverProvider],
    };
  }
}
