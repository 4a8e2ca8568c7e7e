import { Injectable } from '@nestjs/common';
import { User } from '../../users/entities/user.entity';

/** Why an account whose credential was verified may still not sign in. */
export type SignInRefusal = 'inactive';

/**
 * The one check point of every sign-in method (password, second step, passkey, and the ones to come),
 * after the credential was verified and before a session starts: may this account sign in now? A wrong
 * credential never reaches it, so its answer tells nothing to someone who does not hold one.
 */
@Injectable()
export class SignInEligibility {
  /** undefined: the account may sign in. */
  refusal(user: Pick<User, 'isActive'>): SignInRefusal | undefined {
    return user.isActive ? undefined : 'inactive';
  }
}
