import { Module } from '@nestjs/common';
import { EmailTokensModule } from '../auth/email-tokens/email-tokens.module';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { MailModule } from '../mail/mail.module';
import { RetentionService } from './retention.service';

@Module({
  imports: [SessionsModule, EmailTokensModule, MailModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
