import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MfaMethod } from './mfa-challenges';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { looksLikeRecoveryCode } from './recovery-code-format';
import { TotpFactorRepository } from './totp-factor.repository';

/** A code offered by a signed-in user as proof, and how to spend it. */
export interface CodeVerdict {
  method: MfaMethod;
  /**
   * True when the code holds. A TOTP code was judged already (its step is spent on every instance, outside
   * any transaction); a recovery code is spent here, in the caller's transaction, so that it comes back
   * if what it proves is rolled back.
   */
  spend(manager: EntityManager): Promise<boolean>;
}

/** The second factor of a signed-in user's own proof of identity (reauthentication): TOTP or a recovery code. */
@Injectable()
export class SecondFactorProof {
  constructor(
    private readonly totp: TotpFactorRepository,
    private readonly recoveryCodes: RecoveryCodeRepository,
  ) {}

  async judge(userId: string, code: string): Promise<CodeVerdict> {
    if (looksLikeRecoveryCode(code)) {
      return { method: 'recovery_code', spend: (manager) => this.recoveryCodes.consume(userId, code, manager) };
    }
    const factor = await this.totp.find(userId, 'enabled');
    const accepted = factor !== null && (await this.totp.acceptCode(factor, code));
    return { method: 'totp', spend: () => Promise.resolve(accepted) };
  }
}
