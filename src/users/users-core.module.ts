import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountAccess } from './account-access';
import { AdminAccountSeed } from './admin-account-seed';
import { User } from './entities/user.entity';
import { LastActiveAdmin } from './standing/last-active-admin';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/**
 * The accounts without their routes: the users table (UserRepository, its one writer), the service over
 * it and the seed's administrator (AdminAccountSeed). The application's UsersModule adds the controllers;
 * the seed command imports this alone (no web stack, no Redis).
 */
@Module({
  imports: [TypeOrmModule.forFeature([User]), AuditModule, PasswordsModule, SessionsModule, OneTimeTokensModule],
  providers: [UserRepository, UsersService, AccountAccess, LastActiveAdmin, AdminAccountSeed],
  exports: [UsersService, AccountAccess, LastActiveAdmin, AdminAccountSeed],
})
export class UsersCoreModule {}
