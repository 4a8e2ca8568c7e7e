import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { generateAuthenticationOptions, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Repository } from 'typeorm';
import { ProblemException } from '../common/problem-details/problem.exception';
import { WebauthnConfig } from '../config/webauthn.config';
import { AuthenticationResponseDto } from './dto/webauthn-credential.dto';
import { Passkey } from './entities/passkey.entity';
import { PasskeyAuthentication, PasskeySignInResult } from './passkey-authentication';
import { CHALLENGE_LIFETIME_MS, WebauthnChallenges } from './webauthn-challenges';

export class NoPasskeyToReauthenticate extends ProblemException {
  constructor() {
    super(409, 'This account has no passkey: reauthenticate with POST /user/auth/reauthenticate instead');
  }
}

/** One answer for every refused assertion (the security log keeps the reason). */
export class PasskeyNotYours extends ProblemException {
  constructor() {
    super(400, 'The passkey could not be verified as one of yours, with user verification');
  }
}

/** A signed-in user proves who they are again with one of their own passkeys (step-up). */
@Injectable()
export class PasskeyReauthentication {
  constructor(
    @InjectRepository(Passkey) private readonly passkeys: Repository<Passkey>,
    private readonly challenges: WebauthnChallenges,
    private readonly authentication: PasskeyAuthentication,
    private readonly config: WebauthnConfig,
  ) {}

  /** Request options naming the user's passkeys only, user verification required; the challenge is bound to them. */
  async options(userId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const owned = await this.passkeys.find({ where: { userId }, select: { credentialId: true, transports: true } });
    if (owned.length === 0) throw new NoPasskeyToReauthenticate();
    const options = await generateAuthenticationOptions({
      rpID: this.config.rpId,
      timeout: CHALLENGE_LIFETIME_MS,
      userVerification: 'required',
      allowCredentials: owned.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    });
    await this.challenges.issue(options.challenge, 'authentication', userId);
    return options;
  }

  /** Verified only as one of the user's own passkeys, with user verification. */
  verify(userId: string, credential: AuthenticationResponseDto, ipAddress?: string): Promise<PasskeySignInResult> {
    return this.authentication.verify(credential, ipAddress, userId);
  }
}
