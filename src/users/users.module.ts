import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SecurityModule } from '../security/security.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountAccess } from './account-access';
import { AdminUsersController } from './admin-users.controller';
import { User } from './entities/user.entity';
import { MeController } from './me.controller';
import { ProofAttempts } from './proof-attempts';
import { UsersDirectory } from './users-directory';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    AuditModule,
    PasswordsModule,
    SessionsModule,
    OneTimeTokensModule,
    SecurityModule,
  ],
  controllers: [MeController, AdminUsersController],
  providers: [UsersService, UsersDirectory, AccountAccess, ProofAttempts],
  exports: [UsersService, AccountAccess, ProofAttempts],
})
export class UsersModule {}
