import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  generateRegistrationOptions,
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { DataSource } from 'typeorm';
import { ProblemException } from '../common/problem-details/problem.exception';
import { WebauthnConfig } from '../config/webauthn.config';
import { AuditTrail } from '../audit/audit-trail';
import { SecurityNotifications } from '../notifications/security-notifications';
import { SecurityLogger } from '../security/security-logger';
import { RecentProof } from '../sessions/recent-proof/recent-proof';
import { SessionsService } from '../sessions/sessions.service';
import { SignedInCaller } from '../users/authenticated-user';
import { User } from '../users/entities/user.entity';
import { isUniqueViolation } from '../users/users.errors';
import { UsersService } from '../users/users.service';
import { RegistrationResponseDto } from './dto/webauthn-credential.dto';
import { Passkey } from './entities/passkey.entity';
import { SUPPORTED_ALGORITHMS } from './credential-public-key';
import { registrationDefect } from './registration-checks';
import { userHandleOf } from './user-handle';
import { CHALLENGE_LIFETIME_MS, challengeOf, ChallengeRefused, WebauthnChallenges } from './webauthn-challenges';
import { PasskeyRepository } from './passkey.repository';

const DEFAULT_NAME = 'Passkey';

export class PasskeyNotVerified extends ProblemException {
  constructor() {
    super(
      400,
      'The passkey could not be verified (origin, relying party, challenge, attestation, user verification, ' +
        'or a malformed credential)',
    );
  }
}

/** The registration ceremony: options for the browser, then the verified credential stored. */
@Injectable()
export class PasskeyRegistration {
  private readonly logger = new Logger(PasskeyRegistration.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebauthnChallenges,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly recentProof: RecentProof,
    private readonly config: WebauthnConfig,
    private readonly security: SecurityLogger,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
  ) {}

  async options(user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.passkeys.credentialsOf(user.id);
    const options = await generateRegistrationOptions({
      rpName: this.config.rpName,
      rpID: this.config.rpId,
      userName: user.email,
      userDisplayName: `${user.firstName} ${user.lastName}`,
      userID: userHandleOf(user.id),
      timeout: CHALLENGE_LIFETIME_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      // A passkey replaces the password and the second factor: it must be two factors itself.
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    await this.challenges.issue(options.challenge, 'registration', user.id);
    return options;
  }

  /**
   * Verifies the attestation against the caller's challenge, then stores the passkey, counts it on
   * the user and ends every other session of the user, in one transaction.
   */
  async register(owner: SignedInCaller, credential: RegistrationResponseDto, name?: string): Promise<Passkey> {
    const challenge = challengeOf(credential.response.clientDataJSON);
    if (!challenge) throw new ChallengeRefused();
    const { issuedAt } = await this.challenges.consume(challenge, 'registration', owner.user.id);
    // The options were asked for under a recent proof; this session's proof must have been recent then.
    await this.recentProof.requireAt(owner.sessionId, issuedAt);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({
        response: credential as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        requireUserVerification: true,
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
    } catch (error) {
      // The library's reason (wrong origin, RP ID hash, bad attestation) helps the operator, not the client.
      this.logger.warn({ reason: (error as Error).message, user_id: owner.user.id }, 'passkey registration refused');
      throw new PasskeyNotVerified();
    }
    if (!verified.verified) throw new PasskeyNotVerified();
    const info = verified.registrationInfo;
    const defect = registrationDefect(credential, info.credential);
    if (defect) {
      this.logger.warn({ reason: defect, user_id: owner.user.id }, 'passkey registration refused');
      throw new PasskeyNotVerified();
    }
    const passkey = await this.dataSource
      .transaction(async (manager) => {
        const saved = await this.passkeys.add(
          {
            userId: owner.user.id,
            credentialId: info.credential.id,
            publicKey: Buffer.from(info.credential.publicKey),
            signCount: info.credential.counter,
            transports: info.credential.transports ?? credential.response.transports ?? [],
            backedUp: info.credentialBackedUp,
            deviceType: info.credentialDeviceType,
            name: name ?? DEFAULT_NAME,
          },
          manager,
        );
        await this.users.changePasskeyCount(owner.user.id, 1, manager);
        await this.sessions.revokeOthers(owner.user.id, owner.sessionId, 'passkey_added', manager);
        await this.audit.record(manager, {
          action: 'passkey.added',
          actorId: owner.user.id,
          targetUserId: owner.user.id,
          details: { passkeyId: saved.id, passkeyName: saved.name },
        });
        await this.notifications.queue(manager, owner.user, {
          event: 'passkey_added',
          passkeyId: saved.id,
          passkeyName: saved.name,
        });
        return saved;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ProblemException(409, 'This passkey is already registered');
        throw error;
      });
    this.notifications.sent();
    this.security.event('passkey_added', {
      user_id: owner.user.id,
      passkey_id: passkey.id,
      ip_address: owner.ipAddress,
    });
    return passkey;
  }
}
