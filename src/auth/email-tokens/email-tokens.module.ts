import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { AfterReply } from '../../common/after-reply';
import { MailModule } from '../../mail/mail.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { SecurityModule } from '../../security/security.module';
import { UsersModule } from '../../users/users.module';
import { AccountMails } from './account-mails';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';
import { OneTimeTokensModule } from '../../one-time-tokens/one-time-tokens.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { IdentitiesModule } from '../../identities/identities.module';

/** Email verification and password reset: one-time tokens delivered by mail through the outbox. */
@Module({
  imports: [
    AuditModule,
    UsersModule,
    MailModule,
    OneTimeTokensModule,
    SecurityModule,
    NotificationsModule,
    IdentitiesModule,
  ],
  controllers: [EmailVerificationController, PasswordResetController],
  providers: [AfterReply, AccountMails, EmailVerificationService, PasswordResetService],
  exports: [EmailVerificationService, OneTimeTokensModule, AccountMails],
})
export class EmailTokensModule {}
