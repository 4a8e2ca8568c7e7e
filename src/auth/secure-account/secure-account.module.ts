import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { MailModule } from '../../mail/mail.module';
import { MfaModule } from '../../mfa/mfa.module';
import { OneTimeTokensModule } from '../../one-time-tokens/one-time-tokens.module';
import { PasskeysModule } from '../../passkeys/passkeys.module';
import { SecurityModule } from '../../security/security.module';
import { UsersModule } from '../../users/users.module';
import { EmailTokensModule } from '../email-tokens/email-tokens.module';
import { SecureAccountController } from './secure-account.controller';
import { SecureAccountService } from './secure-account.service';
import { IdentitiesModule } from '../../identities/identities.module';

/**
 * The secure-account step of security notifications. It undoes passkey and TOTP additions, so it sits
 * above passkeys/ and mfa/ (notifications/, which mails the link, sits below them).
 */
@Module({
  imports: [
    AuditModule,
    UsersModule,
    MailModule,
    OneTimeTokensModule,
    SecurityModule,
    MfaModule,
    PasskeysModule,
    IdentitiesModule,
    EmailTokensModule,
  ],
  controllers: [SecureAccountController],
  providers: [SecureAccountService],
})
export class SecureAccountModule {}
