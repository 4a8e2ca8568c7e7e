import { LockoutCounter } from './lockout-policy';

/** The settlements of one reserved attempt (LockoutService's own, for one address and counter). */
export interface LockoutSettlements {
  settleFailure(email: string, ip: string | undefined, counter: LockoutCounter): Promise<boolean>;
  settleSuccess(email: string, counter: LockoutCounter): Promise<void>;
  release(email: string, counter: LockoutCounter): Promise<void>;
}

/**
 * One guess at a secret, reserved under the account lockout before it is judged (LockoutService.attempt),
 * then given exactly one verdict: failed, succeeded, or released. An attempt left without a verdict (a
 * refusal that judged nothing, a database error) is released when its judging ends.
 */
export class LockoutAttempt {
  private open = true;

  constructor(
    private readonly lockout: LockoutSettlements,
    readonly email: string,
    readonly counter: LockoutCounter,
  ) {}

  /** A wrong secret: counted; true when this failure started a lock (the caller records `account.locked`). */
  failed(ip: string | undefined): Promise<boolean> {
    this.open = false;
    return this.lockout.settleFailure(this.email, ip, this.counter);
  }

  /** A completed sign-in: the address's failures are forgotten. */
  succeeded(): Promise<void> {
    this.open = false;
    return this.lockout.settleSuccess(this.email, this.counter);
  }

  /** A right secret that completes no sign-in (a second step is due, a proof on an account route). */
  released(): Promise<void> {
    this.open = false;
    return this.lockout.release(this.email, this.counter);
  }

  /**
   * No verdict: the attempt goes back to the budget. If that fails too, the lockout gives it back before its
   * next reservation (or it lapses with the window), so the caller's own error is the one that surfaces.
   */
  async end(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    try {
      await this.lockout.release(this.email, this.counter);
    } catch {
      // Given back later (see above); the error that ended the judging is the one to surface.
    }
  }
}
