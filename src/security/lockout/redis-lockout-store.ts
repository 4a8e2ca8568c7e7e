import { RedisConnection } from '../redis/redis-connection';
import { BUDGET_IN_USE_RETRY_SECONDS, FailureOutcome, LockoutPolicy, LockoutStore, Reservation } from './lockout-store';
import { MemoryLockoutStore } from './memory-lockout-store';

// KEYS[1] a hash {attempts, failures} living for the window from its first attempt, KEYS[2] the lock.

/** Refuses while locked (the lock's milliseconds) or while the budget is taken (-1); else counts one (0). */
const RESERVE = `
local lockTtl = redis.call('PTTL', KEYS[2])
if lockTtl > 0 then return lockTtl end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
if attempts >= tonumber(ARGV[1]) then return -1 end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** A running lock is left alone; else the failure counts, and the threshold-th replaces the count by a lock. */
const SETTLE_FAILURE = `
local lockTtl = redis.call('PTTL', KEYS[2])
if lockTtl > 0 then return {lockTtl, 0} end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0') < failures then
  redis.call('HSET', KEYS[1], 'attempts', failures)
end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {tonumber(ARGV[3]), 1}
end
return {0, 0}
`;

/** Failures are forgotten; attempts of other clients still being judged stay reserved. */
const SETTLE_SUCCESS = `
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if attempts - failures <= 1 then redis.call('DEL', KEYS[1]) return 0 end
redis.call('HSET', KEYS[1], 'attempts', attempts - failures - 1, 'failures', 0)
return 0
`;

const RELEASE = `
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if attempts > failures then redis.call('HINCRBY', KEYS[1], 'attempts', -1) end
return 0
`;

function toSeconds(milliseconds: number): number {
  return Math.max(0, Math.ceil(milliseconds / 1000));
}

function isPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number');
}

/** Counters in Redis, shared by every instance; in this instance's memory while Redis does not answer. */
export class RedisLockoutStore implements LockoutStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: MemoryLockoutStore = new MemoryLockoutStore(),
  ) {}

  lockedFor(key: string): Promise<number> {
    return this.redis.run(
      async (client) => toSeconds(await client.pttl(this.keys(key)[1])),
      () => this.fallback.lockedFor(key),
    );
  }

  reserve(key: string, policy: LockoutPolicy): Promise<Reservation> {
    return this.redis.run(
      async (client) => {
        const answer = await client.eval(RESERVE, 2, ...this.keys(key), policy.threshold, policy.windowSeconds * 1000);
        if (typeof answer !== 'number') throw new TypeError('Unexpected answer from the lockout script');
        if (answer === 0) return { granted: true };
        return { granted: false, retryAfterSeconds: answer > 0 ? toSeconds(answer) : BUDGET_IN_USE_RETRY_SECONDS };
      },
      () => this.fallback.reserve(key, policy),
    );
  }

  settleFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    return this.redis.run(
      async (client) => {
        const answer = await client.eval(
          SETTLE_FAILURE,
          2,
          ...this.keys(key),
          policy.threshold,
          policy.windowSeconds * 1000,
          policy.durationSeconds * 1000,
        );
        if (!isPair(answer)) throw new TypeError('Unexpected answer from the lockout script');
        return { lockedForSeconds: toSeconds(answer[0]), lockStarted: answer[1] === 1 };
      },
      () => this.fallback.settleFailure(key, policy),
    );
  }

  settleSuccess(key: string): Promise<void> {
    return this.script(SETTLE_SUCCESS, key, () => this.fallback.settleSuccess(key));
  }

  release(key: string): Promise<void> {
    return this.script(RELEASE, key, () => this.fallback.release(key));
  }

  clear(key: string): Promise<void> {
    return this.redis.run(
      async (client) => {
        await client.del(...this.keys(key));
      },
      () => this.fallback.clear(key),
    );
  }

  private script(source: string, key: string, inMemory: () => Promise<void>): Promise<void> {
    return this.redis.run(async (client) => {
      await client.eval(source, 2, ...this.keys(key));
    }, inMemory);
  }

  /** Both keys of an address share a hash tag, so the scripts also run on a Redis cluster. */
  private keys(key: string): [counts: string, lock: string] {
    const base = this.redis.key(`{lockout:${key}}`);
    return [`${base}:counts`, `${base}:lock`];
  }
}
