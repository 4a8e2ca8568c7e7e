import { RedisConnection } from '../redis/redis-connection';
import { FailureOutcome, LockoutPolicy, LockoutStore } from './lockout-store';
import { MemoryLockoutStore } from './memory-lockout-store';

/**
 * One atomic step per failure: a running lock is left alone (failures during it neither count nor
 * extend it); otherwise the failure is counted in a window that starts with the first failure, and
 * reaching the threshold replaces the count by a lock.
 */
const RECORD_FAILURE = `
local lockTtl = redis.call('PTTL', KEYS[2])
if lockTtl > 0 then return {lockTtl, 0} end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {tonumber(ARGV[3]), 1}
end
return {0, 0}
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
      async (client) => toSeconds(await client.pttl(this.keys(key).lock)),
      () => this.fallback.lockedFor(key),
    );
  }

  recordFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    return this.redis.run(
      async (client) => {
        const { failures, lock } = this.keys(key);
        const answer = await client.eval(
          RECORD_FAILURE,
          2,
          failures,
          lock,
          policy.threshold,
          policy.windowSeconds * 1000,
          policy.durationSeconds * 1000,
        );
        if (!isPair(answer)) throw new TypeError('Unexpected answer from the lockout script');
        return { lockedForSeconds: toSeconds(answer[0]), lockStarted: answer[1] === 1 };
      },
      () => this.fallback.recordFailure(key, policy),
    );
  }

  reset(key: string): Promise<void> {
    return this.redis.run(
      async (client) => {
        await client.del(this.keys(key).failures);
      },
      () => this.fallback.reset(key),
    );
  }

  /** Both keys of an address share a hash tag, so the script also runs on a Redis cluster. */
  private keys(key: string): { failures: string; lock: string } {
    const base = this.redis.key(`{lockout:${key}}`);
    return { failures: `${base}:failures`, lock: `${base}:lock` };
  }
}
