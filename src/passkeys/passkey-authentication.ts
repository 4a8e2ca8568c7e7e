import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuthenticationResponseJSON,
  generateAuthenticationOptions,
  PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { WebauthnConfig } from '../config/webauthn.config';
import { SecurityLogger } from '../security/security-logger';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { AuthenticationResponseDto } from './dto/webauthn-credential.dto';
import { Passkey } from './entities/passkey.entity';
import { userHandleText } from './user-handle';
import { CHALLENGE_LIFETIME_MS, challengeOf, ChallengeRefused, WebauthnChallenges } from './webauthn-challenges';

/**
 * Why an assertion was refused: logged by the caller, never told to the client (which sees one answer for
 * all). `inactive_user`: the account is gone, or (the sign-in's check) may not sign in.
 */
export type PasskeySignInFailure =
  'unknown_credential' | 'other_account' | 'not_verified' | 'counter_regressed' | 'inactive_user';

/**
 * `verified`: the assertion proves the passkey's owner, whatever the state of the account (whether that
 * account may sign in is the sign-in's decision). `userId`: the account a refused assertion concerned.
 */
export type PasskeySignInResult =
  | { outcome: 'verified'; user: User; passkeyId: string }
  | { outcome: 'refused'; reason: PasskeySignInFailure; userId?: string };

/** The authentication ceremony: options, then the assertion checked against a stored passkey. */
@Injectable()
export class PasskeyAuthentication {
  constructor(
    @InjectRepository(Passkey) private readonly passkeys: Repository<Passkey>,
    private readonly challenges: WebauthnChallenges,
    private readonly users: UsersService,
    private readonly config: WebauthnConfig,
    private readonly security: SecurityLogger,
    private readonly clock: Clock,
  ) {}

  /**
   * The same options for everyone: an empty allow list (every passkey is discoverable, so the
   * authenticator offers what it holds for this site) and user verification required. Naming an
   * account's passkeys would tell anyone which addresses have an account and a passkey.
   */
  async options(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.config.rpId,
      timeout: CHALLENGE_LIFETIME_MS,
      // A passkey stands in for password and second factor: possession alone is not enough.
      userVerification: 'required',
      allowCredentials: [],
    });
    await this.challenges.issue(options.challenge, 'authentication', null);
    return options;
  }

  /**
   * Spends the challenge first (a refused attempt cannot be retried with it: 400 after), then checks the
   * assertion. A signature counter that does not move forward means a cloned authenticator: refused and
   * security-logged. The counter is advanced with a conditional UPDATE, so two concurrent sign-ins with
   * one assertion cannot both pass.
   */
  async verify(
    credential: AuthenticationResponseDto,
    ipAddress?: string,
    /** A reauthentication: only a passkey of this signed-in user, with user verification, will do. */
    owner?: string,
  ): Promise<PasskeySignInResult> {
    const challenge = challengeOf(credential.response.clientDataJSON);
    if (!challenge) throw new ChallengeRefused();
    const bound = await this.challenges.consume(challenge, 'authentication');
    const passkey = await this.passkeys.findOneBy({ credentialId: credential.id });
    const refuse = (reason: PasskeySignInFailure, userId?: string): PasskeySignInResult => ({
      outcome: 'refused',
      reason,
      userId,
    });
    if (!passkey) return refuse('unknown_credential');
    if (owner !== undefined && (bound.userId !== owner || passkey.userId !== owner)) {
      return refuse('other_account', owner);
    }
    if (bound.userId !== null && bound.userId !== passkey.userId) return refuse('other_account', bound.userId);
    const handle = credential.response.userHandle;
    if (handle && handle !== userHandleText(passkey.userId)) return refuse('other_account', passkey.userId);

    let newCounter: number;
    try {
      const verified = await verifyAuthenticationResponse({
        response: credential as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        // Counter 0 turns off the library's own counter check: ours below is atomic and logged.
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
        requireUserVerification: true,
      });
      if (!verified.verified) return refuse('not_verified', passkey.userId);
      newCounter = verified.authenticationInfo.newCounter;
    } catch {
      return refuse('not_verified', passkey.userId);
    }

    const advanced = await this.passkeys
      .createQueryBuilder()
      .update()
      .set({ signCount: newCounter, lastUsedAt: this.clock.now() })
      .where('id = :id', { id: passkey.id })
      // Authenticators that keep no counter send 0 every time; any other value must grow.
      .andWhere('(sign_count < :counter OR (sign_count = 0 AND :counter = 0))', { counter: newCounter })
      .execute();
    if (!advanced.affected) {
      this.security.warn('passkey_counter_regressed', {
        user_id: passkey.userId,
        passkey_id: passkey.id,
        stored_counter: passkey.signCount,
        presented_counter: newCounter,
        ip_address: ipAddress,
      });
      return refuse('counter_regressed', passkey.userId);
    }
    const user = await this.users.findById(passkey.userId);
    if (!user) return refuse('inactive_user', passkey.userId);
    return { outcome: 'verified', user, passkeyId: passkey.id };
  }
}
