import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { Settings } from '../config/settings';
import { configOf } from '../config/config.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CommonModule } from '../common/common.module';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { MfaLoginToken } from '../mfa/entities/mfa-login-token.entity';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { TotpFactor } from '../mfa/entities/totp-factor.entity';
import { UsedTotpStep } from '../mfa/entities/used-totp-step.entity';
import { MfaLoginTokens } from '../mfa/mfa-login-tokens';
import { RecoveryCodes } from '../mfa/recovery-codes';
import { SecondFactorRemoval } from '../mfa/second-factor-removal';
import { TotpFactors } from '../mfa/totp-factors';
import { SecretCipher } from '../common/secrets/secret-cipher';
import { UsedTotpSteps } from '../mfa/used-totp-steps';
import { Passkey } from '../passkeys/entities/passkey.entity';
import { PasskeyRemoval } from '../passkeys/passkey-removal';
import { KeysModule } from '../keys/keys.module';
import { DatabaseModule } from './database.module';
import { DatabaseServer } from './database-server';

/**
 * The slice of the application the seed command needs: settings, the database, UsersService, and the
 * table writers that take a promoted account's second factors and passkeys away (no web stack, no Redis);
 * with the signing keys, for rotate-keys and reencrypt.
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
        TypeOrmModule.forFeature([User, TotpFactor, RecoveryCode, MfaLoginToken, UsedTotpStep, Passkey]),
        PasswordsModule,
        SessionsModule,
        OneTimeTokensModule,
        AuditModule,
        KeysModule,
      ],
      providers: [
        UsersService,
        SecondFactorRemoval,
        TotpFactors,
        SecretCipher,
        UsedTotpSteps,
        RecoveryCodes,
        MfaLoginTokens,
        PasskeyRemoval,
      ],
    };
  }
}
