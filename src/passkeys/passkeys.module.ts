import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { RedisModule } from '../security/redis/redis.module';
import { SecurityLogModule } from '../security/security-log.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { Passkey } from './entities/passkey.entity';
import { WebauthnChallenge } from './entities/webauthn-challenge.entity';
import { PasskeyAuthentication } from './passkey-authentication';
import { PasskeyReauthentication } from './passkey-reauthentication';
import { PasskeyRegistration } from './passkey-registration';
import { PasskeyRemoval } from './passkey-removal';
import { PasskeyRepository } from './passkey.repository';
import { PasskeysController } from './passkeys.controller';
import { PasskeysService } from './passkeys.service';
import { WebauthnChallenges } from './webauthn-challenges';

/** WebAuthn credentials: registration and management here; auth/ runs the sign-in through PasskeyAuthentication. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Passkey, WebauthnChallenge]),
    UsersModule,
    SessionsModule,
    SecurityLogModule,
    RedisModule,
    AuditModule,
    NotificationsModule,
  ],
  controllers: [PasskeysController],
  providers: [
    WebauthnChallenges,
    PasskeyRegistration,
    PasskeysService,
    PasskeyAuthentication,
    PasskeyReauthentication,
    PasskeyRemoval,
    PasskeyRepository,
  ],
  exports: [PasskeyAuthentication, PasskeyReauthentication, PasskeysService, PasskeyRemoval],
})
export class PasskeysModule {}
