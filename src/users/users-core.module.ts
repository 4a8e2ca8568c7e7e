import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountAccess } from './account-access';
import { User } from './entities/user.entity';
import { LastActiveAdmin } from './standing/last-active-admin';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/**
 * The accounts without their routes: the users table (UserRepository, its one writer) and the service
 * over it. The application's UsersModule adds the controllers; the seed command imports this alone (no
 * web stack, no Redis).
 */
@Module({
  imports: [TypeOrmModule.forFeature([User]), AuditModule, PasswordsModule, SessionsModule, OneTimeTokensModule],
  providers: [UserRepository, UsersService, AccountAccess, LastActiveAdmin],
  exports: [UsersService, AccountAccess, LastActiveAdmin],
})
export class UsersCoreModule {}
