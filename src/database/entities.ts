import { AuditEvent } from '../audit/entities/audit-event.entity';
import { OneTimeToken } from '../one-time-tokens/entities/one-time-token.entity';
import { RefreshToken } from '../sessions/entities/refresh-token.entity';
import { Session } from '../sessions/entities/session.entity';
import { OutboxMessage } from '../mail/entities/outbox-message.entity';
import { LoginFailure } from '../security/lockout/entities/login-failure.entity';
import { User } from '../users/entities/user.entity';
import { MfaLoginToken } from '../mfa/entities/mfa-login-token.entity';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { TotpFactor } from '../mfa/entities/totp-factor.entity';
import { UsedTotpStep } from '../mfa/entities/used-totp-step.entity';
import { Passkey } from '../passkeys/entities/passkey.entity';
import { WebauthnChallenge } from '../passkeys/entities/webauthn-challenge.entity';
import { KnownDevice } from '../notifications/entities/known-device.entity';
import { SigningKey } from '../keys/entities/signing-key.entity';

/** Every entity of the service, for the application and the TypeORM CLI alike. */
export const ENTITIES = [
  User,
  Session,
  RefreshToken,
  LoginFailure,
  OneTimeToken,
  OutboxMessage,
  TotpFactor,
  RecoveryCode,
  MfaLoginToken,
  UsedTotpStep,
  AuditEvent,
  Passkey,
  WebauthnChallenge,
  KnownDevice,
  SigningKey,
];
