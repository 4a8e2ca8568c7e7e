import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MailModule } from '../mail/mail.module';
import { MfaModule } from '../mfa/mfa.module';
import { KeysModule } from '../keys/keys.module';
import { RetentionService } from './retention.service';

@Module({
  imports: [SessionsModule, OneTimeTokensModule, MailModule, MfaModule, AuditModule, KeysModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
