import { OneTimeToken } from '../one-time-tokens/entities/one-time-token.entity';
import { RefreshToken } from '../sessions/entities/refresh-token.entity';
import { Session } from '../sessions/entities/session.entity';
import { OutboxMessage } from '../mail/entities/outbox-message.entity';
import { LoginFailure } from '../security/lockout/entities/login-failure.entity';
import { User } from '../users/entities/user.entity';
import { Passkey } from '../passkeys/entities/passkey.entity';
import { WebauthnChallenge } from '../passkeys/entities/webauthn-challenge.entity';

/** Every entity of the service, for the application and the TypeORM CLI alike. */
export const ENTITIES = [
  User,
  Session,
  RefreshToken,
  LoginFailure,
  OneTimeToken,
  OutboxMessage,
  Passkey,
  WebauthnChallenge,
];
