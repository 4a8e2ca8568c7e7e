import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Settings } from '../config/settings';
import { SettingsModule } from '../config/settings.module';
import { UsersModule } from '../users/users.module';
import { DATABASE_SERVER, DatabaseModule } from './database.module';
import { DatabaseServer } from './database-server';

/** The slice of the application the seed command needs: settings, the database and UsersService. */
@Module({})
export class SeedModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_SERVER) private readonly server: DatabaseServer) {}

  static forRoot(settings: Settings, server: DatabaseServer): DynamicModule {
    return {
      module: SeedModule,
      imports: [SettingsModule.forRoot(settings), DatabaseModule.forRoot(server), UsersModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
