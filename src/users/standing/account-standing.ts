import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { SecurityLogger } from '../../security/security-logger';

/** The `code` extension member of a banned account's sign-in refusal. */
export const ACCOUNT_BANNED = 'account_banned';

/** The ban columns of a user, as the entity and the SQL rows both carry them. */
export interface BanState {
  id: string;
  banReason: string | null;
  bannedUntil: Date | null;
}

/** 403: the credential was right, but an administrator banned the account; `until` null means until lifted. */
export class AccountBannedException extends ProblemException {
  constructor(until: Date | null) {
    super(
      403,
      until
        ? 'This account is banned by an administrator until the time given in until'
        : 'This account is banned by an administrator until the ban is lifted',
      undefined,
      {},
      { code: ACCOUNT_BANNED, until: until?.toISOString() ?? null },
    );
  }
}

/** A ban is in force while it has a reason and no end, or an end still ahead: an expired ban lifts itself. */
export function banInForce(user: Pick<BanState, 'banReason' | 'bannedUntil'>, now: Date): boolean {
  return user.banReason !== null && (user.bannedUntil === null || user.bannedUntil > now);
}

/**
 * Whether an account whose credential was just verified may sign in, as far as bans go: every sign-in
 * method (password, second step, passkey, external provider) asks here, after its own credential check,
 * so that a refusal tells nothing to someone without the credential.
 */
@Injectable()
export class AccountStanding {
  constructor(
    private readonly clock: Clock,
    private readonly security: SecurityLogger,
  ) {}

  isBanned(user: Pick<BanState, 'banReason' | 'bannedUntil'>): boolean {
    return banInForce(user, this.clock.now());
  }

  /** Throws 403 `account_banned` (with `until`) for an account under a ban in force. */
  assertMaySignIn(user: BanState, ipAddress?: string): void {
    if (!this.isBanned(user)) return;
    this.security.warn('auth_attempt', { success: false, user_id: user.id, reason: 'banned', ip_address: ipAddress });
    throw new AccountBannedException(user.bannedUntil);
  }
}
