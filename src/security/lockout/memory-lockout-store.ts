import { FailureOutcome, LockoutPolicy, LockoutStore } from './lockout-store';

interface Counter {
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
    const lockedUntil = this.counters.get(key)?.lockedUntil ?? 0;
    return Math.max(0, Math.ceil((lockedUntil - this.now()) / 1000));
  }

  async recordFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    const now = this.now();
    const current = this.counters.get(key);
    if (current && current.lockedUntil > now) {
      return { lockedForSeconds: Math.ceil((current.lockedUntil - now) / 1000), lockStarted: false };
    }
    const fresh = !current || current.lockedUntil > 0 || current.windowEndsAt <= now;
    const counter: Counter = fresh
      ? { failures: 1, windowEndsAt: now + policy.windowSeconds * 1000, lockedUntil: 0 }
      : { ...current, failures: current.failures + 1 };
    if (counter.failures >= policy.threshold) counter.lockedUntil = now + policy.durationSeconds * 1000;
    if (!this.counters.has(key) && this.counters.size >= SWEEP_ABOVE) this.sweep(now);
    this.counters.set(key, counter);
    return counter.lockedUntil > 0
      ? { lockedForSeconds: policy.durationSeconds, lockStarted: true }
      : { lockedForSeconds: 0, lockStarted: false };
  }

  async reset(key: string): Promise<void> {
    const current = this.counters.get(key);
    if (current && current.lockedUntil <= this.now()) this.counters.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.lockedUntil <= now && counter.windowEndsAt <= now) this.counters.delete(key);
    }
  }
}
