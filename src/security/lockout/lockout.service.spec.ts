import { Test } from '@nestjs/testing';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { emailDigest } from '../email-digest';
import { SecurityLogger } from '../security-logger';
import { LockoutService } from './lockout.service';
import { LoginFailureRepository } from './login-failure.repository';

const POLICY = { threshold: 5, windowSeconds: 900, durationSeconds: 600 };
const EMAIL = 'Jane@Example.com ';
const KEY = emailDigest('jane@example.com');

describe('LockoutService', () => {
  let lockout: LockoutService;
  let counters: jest.Mocked<
    Pick<LoginFailureRepository, 'reserve' | 'settleFailure' | 'settleSuccess' | 'clear' | 'release'>
  >;
  let securityLog: { warn: jest.Mock };
  let metrics: { rateLimited: jest.Mock };

  beforeEach(async () => {
    counters = {
      reserve: jest.fn(),
      settleFailure: jest.fn(),
      settleSuccess: jest.fn(),
      clear: jest.fn(),
      release: jest.fn(),
    };
    securityLog = { warn: jest.fn() };
    metrics = { rateLimited: jest.fn() };
    const config = { lockoutThreshold: 5, lockoutWindow: 900, lockoutDuration: 600 };
    const moduleRef = await Test.createTestingModule({
      providers: [
        LockoutService,
        { provide: RateLimitConfig, useValue: config },
        { provide: LoginFailureRepository, useValue: counters },
        { provide: SecurityLogger, useValue: securityLog },
        { provide: MetricsService, useValue: metrics },
      ],
    }).compile();
    lockout = moduleRef.get(LockoutService);
  });

  it('counts on the password counter of the normalised address unless told otherwise', async () => {
    counters.reserve.mockResolvedValue({ granted: true });
    await lockout.reserve(EMAIL);
    await lockout.reserve(EMAIL, 'code');
    expect(counters.reserve.mock.calls).toEqual([
      [KEY, 'password', POLICY],
      [KEY, 'code', POLICY],
    ]);
  });

  it('refuses a reservation with a 429 carrying Retry-After, and counts it as a lockout refusal', async () => {
    counters.reserve.mockResolvedValue({ granted: false, retryAfterSeconds: 42 });
    const refused = await lockout.reserve(EMAIL, 'code').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).getStatus()).toBe(429);
    expect((refused as ProblemException).headers).toEqual({ 'retry-after': '42' });
    expect(metrics.rateLimited).toHaveBeenCalledWith('lockout');
  });

  it('gives back, before the next reservation, a settlement the database could not take', async () => {
    counters.reserve.mockResolvedValue({ granted: true });
    counters.release.mockRejectedValueOnce(new Error('Connection terminated'));
    counters.settleFailure.mockRejectedValueOnce(new Error('Connection terminated'));
    await expect(lockout.release(EMAIL, 'code')).rejects.toThrow('Connection terminated');
    await expect(lockout.settleFailure(EMAIL)).rejects.toThrow('Connection terminated');
    // Still down: the reservation fails like any query, and nothing given back is lost.
    counters.release.mockRejectedValueOnce(new Error('Connection terminated'));
    await expect(lockout.reserve(EMAIL)).rejects.toThrow('Connection terminated');
    expect(counters.reserve).not.toHaveBeenCalled();
    // Back: both are given back once, then the reservation is made.
    counters.release.mockResolvedValue(undefined);
    await lockout.reserve(EMAIL);
    await lockout.reserve(EMAIL);
    expect(counters.release.mock.calls.slice(-2)).toEqual([
      [KEY, 'code'],
      [KEY, 'password'],
    ]);
    expect(counters.release).toHaveBeenCalledTimes(4);
    expect(counters.reserve).toHaveBeenCalledTimes(2);
  });

  it('logs the lock once, naming the counter that started it', async () => {
    counters.settleFailure.mockResolvedValueOnce({ lockedForSeconds: 0, lockStarted: false });
    expect(await lockout.settleFailure(EMAIL, '203.0.113.9', 'code')).toBe(false);
    expect(securityLog.warn).not.toHaveBeenCalled();
    counters.settleFailure.mockResolvedValueOnce({ lockedForSeconds: 600, lockStarted: true });
    expect(await lockout.settleFailure(EMAIL, '203.0.113.9', 'code')).toBe(true);
    expect(securityLog.warn).toHaveBeenCalledWith('account_locked', {
      email: 'jane@example.com',
      ip_address: '203.0.113.9',
      counter: 'code',
      failures: 5,
      locked_for_seconds: 600,
    });
  });

  it('clears only the password counter for a completed password reset', async () => {
    await lockout.clear(EMAIL);
    expect(counters.clear.mock.calls).toEqual([[KEY, 'password']]);
  });

  describe('an attempt (reserve, verdict, settle or release)', () => {
    beforeEach(() => {
      counters.reserve.mockResolvedValue({ granted: true });
      counters.settleFailure.mockResolvedValue({ lockedForSeconds: 0, lockStarted: false });
    });

    it('reserves before the secret is judged, and settles the verdict it is given', async () => {
      const judged = await lockout.attempt(EMAIL, 'code', async (attempt) => {
        expect(counters.reserve).toHaveBeenCalledWith(KEY, 'code', POLICY);
        await attempt.succeeded();
        return 'judged';
      });
      expect(judged).toBe('judged');
      expect(counters.settleSuccess.mock.calls).toEqual([[KEY, 'code']]);
      expect(counters.release).not.toHaveBeenCalled();
    });

    it('tells the judge whether its failure started a lock, and does not also give that attempt back', async () => {
      counters.settleFailure.mockResolvedValue({ lockedForSeconds: 600, lockStarted: true });
      const locked = await lockout.attempt(EMAIL, 'password', (attempt) => attempt.failed('203.0.113.9'));
      expect(locked).toBe(true);
      expect(counters.release).not.toHaveBeenCalled();
    });

    it('gives back an attempt that ended without a verdict, and lets the refusal that ended it go out', async () => {
      const refusal = new Error('401');
      await expect(lockout.attempt(EMAIL, 'password', () => Promise.reject(refusal))).rejects.toBe(refusal);
      expect(counters.release.mock.calls).toEqual([[KEY, 'password']]);
    });

    it('surfaces the judging error, not the failed give-back, when the database is gone for both', async () => {
      const judging = new Error('database gone while judging');
      counters.release.mockRejectedValue(new Error('database gone while releasing'));
      await expect(lockout.attempt(EMAIL, 'code', () => Promise.reject(judging))).rejects.toBe(judging);
    });

    it('judges nothing while the address is locked: the 429 goes out as it is', async () => {
      counters.reserve.mockResolvedValue({ granted: false, retryAfterSeconds: 30 });
      const judge = jest.fn();
      await expect(lockout.attempt(EMAIL, 'password', judge)).rejects.toBeInstanceOf(ProblemException);
      expect(judge).not.toHaveBeenCalled();
      expect(counters.release).not.toHaveBeenCalled();
    });
  });
});
