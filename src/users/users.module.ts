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
import { AccountStanding } from './standing/account-standing';
import { LastActiveAdmin } from './standing/last-active-admin';
import { ImpersonationGuard } from './impersonation/impersonation.guard';

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
  providers: [
    UsersService,
    UsersDirectory,
    AccountAccess,
    ProofAttempts,
    AccountStanding,
    LastActiveAdmin,
    ImpersonationGuard,
  ],
  exports: [UsersService, AccountAccess, ProofAttempts, AccountStanding, LastActiveAdmin, ImpersonationGuard],
})
export class UsersModule {}
