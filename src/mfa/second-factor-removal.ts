import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PasskeyRemoval } from '../passkeys/passkey-removal';
import { UsersService } from '../users/users.service';
import { MfaLoginTokenRepository } from './mfa-login-token.repository';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { TotpFactorRepository } from './totp-factor.repository';

/**
 * Takes a user's second factors away in the caller's transaction: the owner disabling TOTP, an
 * administrator's reset for a lost device, and the seed's promotion of an account squatting on the
 * admin address (which must not keep its own authenticator). Needs nothing but the tables.
 */
@Injectable()
export class SecondFactorRemoval {
  constructor(
    private readonly totp: TotpFactorRepository,
    private readonly recoveryCodes: RecoveryCodeRepository,
    private readonly loginTokens: MfaLoginTokenRepository,
    private readonly passkeys: PasskeyRemoval,
    private readonly users: UsersService,
  ) {}

  /** TOTP, its recovery codes and any sign-in waiting for a code; the user row says mfaEnabled false. */
  async removeTotp(userId: string, manager: EntityManager): Promise<boolean> {
    const hadTotp = await this.totp.delete(userId, manager);
    await this.recoveryCodes.deleteAll(userId, manager);
    await this.loginTokens.deleteAllForUser(userId, manager);
    await this.users.setMfaEnabled(userId, false, manager);
    return hadTotp;
  }

  /** A sign-in waiting for its second factor must not finish once every session of the user has ended. */
  async endPendingSignIns(userId: string, manager: EntityManager): Promise<void> {
    await this.loginTokens.deleteAllForUser(userId, manager);
  }

  /** TOTP and passkeys alike; answers what there was to remove. */
  async removeAll(userId: string, manager: EntityManager): Promise<{ hadTotp: boolean; passkeysRemoved: number }> {
    const hadTotp = await this.removeTotp(userId, manager);
    const passkeysRemoved = await this.passkeys.removeAllForUser(userId, manager);
    return { hadTotp, passkeysRemoved };
  }
}
