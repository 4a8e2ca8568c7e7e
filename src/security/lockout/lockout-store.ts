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

/** Where failed-login counters live; keys are digests of normalised email addresses. */
export interface LockoutStore {
  /** Seconds the address stays locked; 0 when it is not. */
  lockedFor(key: string): Promise<number>;
  /** Counts a failure, unless a lock is running: failures during a lock neither count nor extend it. */
  recordFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome>;
  /** A successful login clears the count. */
  reset(key: string): Promise<void>;
}

export const LOCKOUT_STORE = Symbol('LOCKOUT_STORE');
