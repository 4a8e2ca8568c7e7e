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

  /** Attempts that each reserve, then fail: the login flow one guess at a time. */
  async function fail(times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      if ((await store.reserve('key', POLICY)).granted) await store.settleFailure('key', POLICY);
    }
  }

  it('locks on the threshold-th failure within the window, for the duration', async () => {
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
    expect(await store.settleFailure('key', POLICY)).toEqual({ lockedForSeconds: 120, lockStarted: true });
    expect(await store.lockedFor('key')).toBe(120);
    expect(await store.reserve('key', POLICY)).toEqual({ granted: false, retryAfterSeconds: 120 });
    now += 119_500;
    expect(await store.lockedFor('key')).toBe(1);
    now += 500;
    expect(await store.lockedFor('key')).toBe(0);
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
  });

  it('grants at most the threshold of concurrent reservations, whatever their outcome', async () => {
    const granted = await Promise.all(Array.from({ length: 10 }, () => store.reserve('key', POLICY)));
    expect(granted.filter((reservation) => reservation.granted)).toHaveLength(3);
    expect(granted.filter((reservation) => !reservation.granted)).toContainEqual({
      granted: false,
      retryAfterSeconds: 1,
    });
    await store.settleFailure('key', POLICY);
    await store.settleFailure('key', POLICY);
    expect((await store.reserve('key', POLICY)).granted).toBe(false);
    expect(await store.settleFailure('key', POLICY)).toEqual({ lockedForSeconds: 120, lockStarted: true });
  });

  it('gives a released reservation back to the budget, but never a counted failure', async () => {
    for (let i = 0; i < 3; i += 1) await store.reserve('key', POLICY);
    await store.settleFailure('key', POLICY);
    await store.release('key');
    await store.release('key');
    await store.release('key');
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
    expect((await store.reserve('key', POLICY)).granted).toBe(false);
  });

  it('neither counts nor extends failures during a lock, and starts over after it', async () => {
    await fail(3);
    now += 30_000;
    expect(await store.settleFailure('key', POLICY)).toEqual({ lockedForSeconds: 90, lockStarted: false });
    expect(await store.lockedFor('key')).toBe(90);
    now += 90_000;
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
  });

  it('forgets attempts and failures older than the window', async () => {
    await fail(2);
    await store.reserve('key', POLICY);
    now += 60_000;
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
  });

  it('clears the count on success, keeping others still in flight, but not a running lock', async () => {
    await fail(1);
    await store.reserve('key', POLICY);
    await store.reserve('key', POLICY);
    await store.settleSuccess('key');
    // The other reservation is still being judged: two more fit, not three.
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
    expect(await store.reserve('key', POLICY)).toEqual({ granted: true });
    expect((await store.reserve('key', POLICY)).granted).toBe(false);
    await store.settleFailure('key', POLICY);
    await store.settleFailure('key', POLICY);
    await store.settleSuccess('key');
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
    await fail(1);
    await store.settleSuccess('key');
    expect(await store.lockedFor('key')).toBe(120);
  });

  it('clears count and lock alike for a completed password reset', async () => {
    await fail(3);
    await store.clear('key');
    expect(await store.lockedFor('key')).toBe(0);
    await fail(2);
    expect(await store.lockedFor('key')).toBe(0);
  });

  it('keeps addresses apart', async () => {
    await fail(3);
    expect(await store.lockedFor('other')).toBe(0);
    expect(await store.reserve('other', POLICY)).toEqual({ granted: true });
  });
});
