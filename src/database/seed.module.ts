import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Settings } from '../config/settings';
import { configOf } from '../config/config.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CommonModule } from '../common/common.module';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { DatabaseModule } from './database.module';
import { DatabaseServer } from './database-server';

/** The slice of the application the seed command needs: settings, the database and UsersService. */
@Module({})
export class SeedModule {
  static forRoot(settings: Settings, server: DatabaseServer): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        configOf(settings).then((config) => config.module),
        CommonModule,
        DatabaseModule.forRoot(server),
        TypeOrmModule.forFeature([User]),
        PasswordsModule,
        SessionsModule,
        OneTimeTokensModule,
        AuditModule,
      ],
      providers: [UsersService],
    };
  }
}
