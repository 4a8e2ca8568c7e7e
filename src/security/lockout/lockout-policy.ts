/** LOCKOUT_THRESHOLD failures within LOCKOUT_WINDOW seconds lock for LOCKOUT_DURATION seconds. */
export interface LockoutPolicy {
  threshold: number;
  windowSeconds: number;
  durationSeconds: number;
}

/**
 * The two counters of an address: wrong passwords, and wrong second-factor codes (the sign-in's second
 * step and the codes of the account routes). Either one at the threshold locks sign-in; a password
 * reset clears only the password counter, since the mailbox proves nothing about the second factor.
 */
export const LOCKOUT_COUNTERS = ['password', 'code'] as const;
export type LockoutCounter = (typeof LOCKOUT_COUNTERS)[number];

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
