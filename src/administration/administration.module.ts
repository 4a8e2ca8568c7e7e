import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SecurityModule } from '../security/security.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountBans } from './bans/account-bans';
import { BansController } from './bans/bans.controller';
import { ImpersonationController } from './impersonation/impersonation.controller';
import { Impersonations } from './impersonation/impersonations';

/**
 * Administrators' support tools on other accounts: bans and impersonation. They sit above auth/, whose
 * access-token signer an impersonation token comes from, and mail the user through notifications/.
 */
@Module({
  imports: [AuditModule, UsersModule, SessionsModule, NotificationsModule, SecurityModule, AuthModule],
  controllers: [BansController, ImpersonationController],
  providers: [AccountBans, Impersonations],
})
export class AdministrationModule {}
