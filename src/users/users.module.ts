import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SecurityModule } from '../security/security.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminUsersController } from './admin-users.controller';
import { User } from './entities/user.entity';
import { MeController } from './me.controller';
import { ProofAttempts } from './proof-attempts';
import { UsersCoreModule } from './users-core.module';
import { UsersDirectory } from './users-directory';
import { AccountStanding } from './standing/account-standing';
import { ImpersonationGuard } from './impersonation/impersonation.guard';

/** The accounts with their routes (/user/me, /admin/users) and the proofs an account route takes. */
@Module({
  imports: [
    UsersCoreModule,
    TypeOrmModule.forFeature([User]),
    AuditModule,
    PasswordsModule,
    SessionsModule,
    SecurityModule,
  ],
  controllers: [MeController, AdminUsersController],
  providers: [UsersDirectory, ProofAttempts, AccountStanding, ImpersonationGuard],
  exports: [UsersCoreModule, ProofAttempts, AccountStanding, ImpersonationGuard],
})
export class UsersModule {}
