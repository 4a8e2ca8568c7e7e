import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordsModule } from '../passwords/passwords.module';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PasskeysModule } from '../passkeys/passkeys.module';
import { SecurityModule } from '../security/security.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { MfaLoginToken } from './entities/mfa-login-token.entity';
import { RecoveryCode } from './entities/recovery-code.entity';
import { TotpFactor } from './entities/totp-factor.entity';
import { UsedTotpStep } from './entities/used-totp-step.entity';
import { MfaAdminController } from './mfa-admin.controller';
import { MfaAdministration } from './mfa-administration';
import { MfaChallenges } from './mfa-challenges';
import { MfaController } from './mfa.controller';
import { MfaLoginTokenRepository } from './mfa-login-token.repository';
import { MfaRetention } from './mfa-retention';
import { MfaService } from './mfa.service';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { SecondFactorProof } from './second-factor-proof';
import { SecondFactorRemoval } from './second-factor-removal';
import { TotpFactorRepository } from './totp-factor.repository';
import { SecretCipher } from '../common/secrets/secret-cipher';
import { UsedTotpStepRepository } from './used-totp-step.repository';

/** TOTP with recovery codes, the second step of a password sign-in, and the admin reset. */
@Module({
  imports: [
    TypeOrmModule.forFeature([TotpFactor, RecoveryCode, MfaLoginToken, UsedTotpStep]),
    UsersModule,
    SessionsModule,
    PasswordsModule,
    SecurityModule,
    AuditModule,
    PasskeysModule,
    NotificationsModule,
  ],
  controllers: [MfaController, MfaAdminController],
  providers: [
    MfaService,
    MfaAdministration,
    MfaChallenges,
    MfaLoginTokenRepository,
    MfaRetention,
    RecoveryCodeRepository,
    SecondFactorProof,
    SecondFactorRemoval,
    TotpFactorRepository,
    SecretCipher,
    UsedTotpStepRepository,
  ],
  exports: [MfaService, MfaChallenges, MfaRetention, SecondFactorProof],
})
export class MfaModule {}
