import { BUDGET_IN_USE_RETRY_SECONDS, FailureOutcome, LockoutPolicy, LockoutStore, Reservation } from './lockout-store';

interface Counter {
  /** Attempts of the window: failures plus reservations not yet settled. */
  attempts: number;
  failures: number;
  windowEndsAt: number;
  lockedUntil: number;
}

/** Past this many addresses, expired counters are swept so that a spray of emails cannot grow memory. */
const SWEEP_ABOVE = 10_000;

/** Per-instance counters: the fallback that keeps lockout holding while Redis does not answer. */
export class MemoryLockoutStore implements LockoutStore {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly now: () => number = Date.now) {}

  async lockedFor(key: string): Promise<number> {
    return this.secondsLeft(this.counters.get(key)?.lockedUntil ?? 0, this.now());
  }

  async reserve(key: string, policy: LockoutPolicy): Promise<Reservation> {
    const now = this.now();
    const current = this.counters.get(key);
    if (current && current.lockedUntil > now) {
      return { granted: false, retryAfterSeconds: this.secondsLeft(current.lockedUntil, now) };
    }
    const counter = this.current(key, policy, now);
    if (counter.attempts >= policy.threshold) {
      return { granted: false, retryAfterSeconds: BUDGET_IN_USE_RETRY_SECONDS };
    }
    counter.attempts += 1;
    return { granted: true };
  }

  async settleFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    const now = this.now();
    const current = this.counters.get(key);
    if (current && current.lockedUntil > now) {
      return { lockedForSeconds: this.secondsLeft(current.lockedUntil, now), lockStarted: false };
    }
    const counter = this.current(key, policy, now);
    counter.failures += 1;
    counter.attempts = Math.max(counter.attempts, counter.failures);
    if (counter.failures < policy.threshold) return { lockedForSeconds: 0, lockStarted: false };
    counter.lockedUntil = now + policy.durationSeconds * 1000;
    return { lockedForSeconds: policy.durationSeconds, lockStarted: true };
  }

  async settleSuccess(key: string): Promise<void> {
    const current = this.counters.get(key);
    if (!current || current.lockedUntil > this.now()) return;
    const othersInFlight = current.attempts - current.failures - 1;
    if (othersInFlight <= 0) this.counters.delete(key);
    else Object.assign(current, { attempts: othersInFlight, failures: 0 });
  }

  async release(key: string): Promise<void> {
    const current = this.counters.get(key);
    if (current && current.lockedUntil <= this.now() && current.attempts > current.failures) current.attempts -= 1;
  }

  async clear(key: string): Promise<void> {
    this.counters.delete(key);
  }

  /** The counter of the running window: a lock that ran out, or a window that ended, starts it again. */
  private current(key: string, policy: LockoutPolicy, now: number): Counter {
    const existing = this.counters.get(key);
    if (existing && existing.lockedUntil === 0 && existing.windowEndsAt > now) return existing;
    const fresh: Counter = {
      attempts: 0,
      failures: 0,
      windowEndsAt: now + policy.windowSeconds * 1000,
      lockedUntil: 0,
    };
    if (!existing && this.counters.size >= SWEEP_ABOVE) this.sweep(now);
    this.counters.set(key, fresh);
    return fresh;
  }

  private secondsLeft(until: number, now: number): number {
    return Math.max(0, Math.ceil((until - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.lockedUntil <= now && counter.windowEndsAt <= now) this.counters.delete(key);
    }
  }
}
