import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { SecretCipher } from '../common/secrets/secret-cipher';
import { KeysModule } from '../keys/keys.module';
import { configOf } from '../config/config.module';
import { Settings } from '../config/settings';
import { DatabaseModule } from '../database/database.module';
import { DatabaseServer } from '../database/database-server';
import { MfaLoginToken } from '../mfa/entities/mfa-login-token.entity';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { TotpFactor } from '../mfa/entities/totp-factor.entity';
import { UsedTotpStep } from '../mfa/entities/used-totp-step.entity';
import { MfaLoginTokenRepository } from '../mfa/mfa-login-token.repository';
import { RecoveryCodeRepository } from '../mfa/recovery-code.repository';
import { SecondFactorRemoval } from '../mfa/second-factor-removal';
import { TotpFactorRepository } from '../mfa/totp-factor.repository';
import { UsedTotpStepRepository } from '../mfa/used-totp-step.repository';
import { Passkey } from '../passkeys/entities/passkey.entity';
import { PasskeyRemoval } from '../passkeys/passkey-removal';
import { PasskeyRepository } from '../passkeys/passkey.repository';
import { UsersCoreModule } from '../users/users-core.module';

/**
 * The slice of the application the seed command needs: settings, the database, the accounts
 * (UsersCoreModule, as the application has them), and the table writers that take a promoted account's
 * second factors and passkeys away (no web stack, no Redis); with the signing keys, for rotate-keys and
 * reencrypt.
 */
@Module({})
export class SeedModule {
  static forRoot(settings: Settings, server: DatabaseServer): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        configOf(settings).then((config) => config.module),
        CommonModule,
        DatabaseModule.forRoot(server),
        UsersCoreModule,
        TypeOrmModule.forFeature([TotpFactor, RecoveryCode, MfaLoginToken, UsedTotpStep, Passkey]),
        KeysModule,
      ],
      providers: [
        SecondFactorRemoval,
        TotpFactorRepository,
        SecretCipher,
        UsedTotpStepRepository,
        RecoveryCodeRepository,
        MfaLoginTokenRepository,
        PasskeyRemoval,
        PasskeyRepository,
      ],
    };
  }
}
