import { LockoutPolicy } from './lockout-store';
import { MemoryLockoutStore } from './memory-lockout-store';

const POLICY: LockoutPolicy = { threshold: 3, windowSeconds: 60, durationSeconds: 120 };

describe('MemoryLockoutStore', () => {
  let now: number;
  let store: MemoryLockoutStore;

  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryLockoutStore(() => now);
  });

  async function fail(times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) await store.recordFailure('key', POLICY);
  }

  it('locks on the threshold-th failure within the window, for the duration', async () => {
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
    expect(await store.recordFailure('key', POLICY)).toEqual({ lockedForSeconds: 120, lockStarted: true });
    expect(await store.lockedFor('key')).toBe(120);
    now += 119_500;
    expect(await store.lockedFor('key')).toBe(1);
    now += 500;
    expect(await store.lockedFor('key')).toBe(0);
  });

  it('neither counts nor extends failures during a lock, and starts over after it', async () => {
    await fail(3);
    now += 30_000;
    expect(await store.recordFailure('key', POLICY)).toEqual({ lockedForSeconds: 90, lockStarted: false });
    expect(await store.lockedFor('key')).toBe(90);
    now += 90_000;
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
  });

  it('forgets failures older than the window', async () => {
    await fail(2);
    now += 60_000;
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
  });

  it('clears the count on success, but not a running lock', async () => {
    await fail(2);
    await store.reset('key');
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
    await fail(1);
    await store.reset('key');
    expect(await store.lockedFor('key')).toBe(120);
  });

  it('keeps addresses apart', async () => {
    await fail(3);
    expect(await store.lockedFor('other')).toBe(0);
  });
});
