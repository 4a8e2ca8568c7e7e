import { Module } from '@nestjs/common';
import { AfterReply } from '../../common/after-reply';
import { MailModule } from '../../mail/mail.module';
import { UsersModule } from '../../users/users.module';
import { AccountMails } from './account-mails';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';
import { OneTimeTokensService } from './one-time-tokens.service';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';

/** Email verification and password reset: one-time tokens delivered by mail through the outbox. */
@Module({
  imports: [UsersModule, MailModule],
  controllers: [EmailVerificationController, PasswordResetController],
  providers: [AfterReply, OneTimeTokensService, AccountMails, EmailVerificationService, PasswordResetService],
  exports: [EmailVerificationService, OneTimeTokensService],
})
export class EmailTokensModule {}
