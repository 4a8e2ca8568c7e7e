import { Injectable } from '@nestjs/common';
import { MfaLoginTokenRepository } from './mfa-login-token.repository';
import { UsedTotpStepRepository } from './used-totp-step.repository';

/** What the hourly retention job deletes from the MFA tables. */
@Injectable()
export class MfaRetention {
  constructor(
    private readonly loginTokens: MfaLoginTokenRepository,
    private readonly usedSteps: UsedTotpStepRepository,
  ) {}

  async purge(): Promise<{ mfaLoginTokens: number; usedTotpSteps: number }> {
    return {
      mfaLoginTokens: await this.loginTokens.purgeFinished(),
      usedTotpSteps: await this.usedSteps.purgeExpired(),
    };
  }
}
