import { Injectable } from '@nestjs/common';
import { MfaLoginTokens } from './mfa-login-tokens';
import { UsedTotpSteps } from './used-totp-steps';

/** What the hourly retention job deletes from the MFA tables. */
@Injectable()
export class MfaRetention {
  constructor(
    private readonly loginTokens: MfaLoginTokens,
    private readonly usedSteps: UsedTotpSteps,
  ) {}

  async purge(): Promise<{ mfaLoginTokens: number; usedTotpSteps: number }> {
    return {
      mfaLoginTokens: await this.loginTokens.purgeFinished(),
      usedTotpSteps: await this.usedSteps.purgeExpired(),
    };
  }
}
