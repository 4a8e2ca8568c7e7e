import { Injectable } from '@nestjs/common';
import { User } from '../../users/entities/user.entity';
import { AccountStanding } from '../../users/standing/account-standing';

/** Why an account whose credential was verified may still not sign in, told only as the method's one 401. */
export type SignInRefusal = 'inactive';

/**
 * The one check point of every sign-in method (password, second step, passkey, and the ones to come),
 * after the credential was verified and before a session starts: may this account sign in now? A wrong
 * credential never reaches it, so its answer tells nothing to someone who does not hold one.
 */
@Injectable()
export class SignInEligibility {
  constructor(private readonly standing: AccountStanding) {}

  /**
   * undefined: the account may sign in. A deactivated account is a refusal the method answers with its
   * usual 401; a ban in force answers for itself (403 `account_banned` with `until`), since its holder
   * proved the credential and is owed the reason.
   */
  refusal(user: User, ipAddress?: string): SignInRefusal | undefined {
    if (!user.isActive) return 'inactive';
    this.standing.assertMaySignIn(user, ipAddress);
    return undefined;
  }
}
