import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MfaLoginToken } from './entities/mfa-login-token.entity';
import { MfaLoginTokenRepository } from './mfa-login-token.repository';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { looksLikeRecoveryCode } from './recovery-code-format';
import { TotpFactorRepository } from './totp-factor.repository';

export const MFA_METHODS = ['totp', 'recovery_code'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** completed: the token is spent; wrong_code: counted on the token; token_dead: spent, expired or killed meanwhile. */
export type ChallengeOutcome = 'completed' | 'wrong_code' | 'token_dead';

/** Thrown inside the transaction to roll back a consumed recovery code when the token died meanwhile. */
class TokenDiedMeanwhile extends Error {}

/**
 * The second step of a password sign-in: the token issued after the password, then the code. What
 * the code proves is decided here; the sign-in itself (lockout, session, cookies) belongs to auth/.
 */
@Injectable()
export class MfaChallenges {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: MfaLoginTokenRepository,
    private readonly totp: TotpFactorRepository,
    private readonly recoveryCodes: RecoveryCodeRepository,
  ) {}

  /** After a right password for an account with a second factor: the opaque token of the next step. */
  begin(user: { id: string; tokenVersion: number }): Promise<string> {
    return this.tokens.issue(user.id, user.tokenVersion);
  }

  /** The live token, or null (unknown, spent, expired, or dead after too many wrong codes). */
  find(mfaToken: string): Promise<MfaLoginToken | null> {
    return this.tokens.findLive(mfaToken);
  }

  /**
   * False once an event ended all of the user's sessions after the password was verified: the token
   * was issued to a sign-in that no longer counts. The session's own start re-checks the version
   * under its transaction, so such an event racing this check still refuses the sign-in.
   */
  belongsToCurrentSessions(token: MfaLoginToken, user: { tokenVersion: number }): boolean {
    return token.tokenVersion === user.tokenVersion;
  }

  async complete(token: MfaLoginToken, code: string): Promise<{ outcome: ChallengeOutcome; method: MfaMethod }> {
    const method: MfaMethod = looksLikeRecoveryCode(code) ? 'recovery_code' : 'totp';
    const outcome =
      method === 'recovery_code' ? await this.withRecoveryCode(token, code) : await this.withTotp(token, code);
    if (outcome === 'wrong_code') await this.tokens.recordWrongCode(token.id);
    return { outcome, method };
  }

  private async withTotp(token: MfaLoginToken, code: string): Promise<ChallengeOutcome> {
    const factor = await this.totp.find(token.userId, 'enabled');
    if (!factor || !(await this.totp.acceptCode(factor, code))) return 'wrong_code';
    return (await this.tokens.spend(token.id)) ? 'completed' : 'token_dead';
  }

  /** Code and token are spent together, or neither is. */
  private async withRecoveryCode(token: MfaLoginToken, code: string): Promise<ChallengeOutcome> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (!(await this.recoveryCodes.consume(token.userId, code, manager))) return 'wrong_code';
        if (!(await this.tokens.spend(token.id, manager))) throw new TokenDiedMeanwhile();
        return 'completed';
      });
    } catch (error) {
      if (error instanceof TokenDiedMeanwhile) return 'token_dead';
      throw error;
    }
  }
}
