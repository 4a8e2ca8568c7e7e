/** LOCKOUT_THRESHOLD failures within LOCKOUT_WINDOW seconds lock for LOCKOUT_DURATION seconds. */
export interface LockoutPolicy {
  threshold: number;
  windowSeconds: number;
  durationSeconds: number;
}

export interface FailureOutcome {
  /** Seconds the address stays locked after this failure; 0 when it is not locked. */
  lockedForSeconds: number;
  /** This failure is the one that started the lock (logged once, not on every later attempt). */
  lockStarted: boolean;
}

/** A reservation asked for: granted, or refused for this many seconds (at least 1). */
export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

/** Retry-After when the budget is taken by attempts still being judged: they settle within moments. */
export const BUDGET_IN_USE_RETRY_SECONDS = 1;

/**
 * Where login-attempt counters live; keys are digests of normalised email addresses. An attempt is
 * reserved before the password is hashed and settled after, each step atomic, so that at most
 * `threshold` attempts per window get a verdict however many arrive at once.
 */
export interface LockoutStore {
  /** Counts one attempt; refused while locked or while `threshold` attempts of the window are counted. */
  reserve(key: string, policy: LockoutPolicy): Promise<Reservation>;
  /** A wrong password: counted, locking on the threshold-th; during a lock neither counted nor extending it. */
  settleFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome>;
  /** A right password clears the count (attempts of others still being judged stay reserved). */
  settleSuccess(key: string): Promise<void>;
  /** Neither verdict (unverified email, a database error): the reservation is given back. */
  release(key: string): Promise<void>;
  /** A completed password reset: count and lock are gone. */
  clear(key: string): Promise<void>;
  /** Seconds the address stays locked; 0 when it is not. */
  lockedFor(key: string): Promise<number>;
}

export const LOCKOUT_STORE = Symbol('LOCKOUT_STORE');
