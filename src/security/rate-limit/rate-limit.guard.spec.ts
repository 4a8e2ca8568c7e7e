import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getOptionsToken, getStorageToken, ThrottlerStorage } from '@nestjs/throttler';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { Mocked, newTestService } from '../../common/testing/automock';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../security-logger';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.options';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const IP = '203.0.113.9';
const hits = (totalHits: number, isBlocked = false): StorageRecord => ({
  totalHits,
  timeToExpire: 50,
  isBlocked,
  timeToBlockExpire: isBlocked ? 30 : 0,
});

/** An HTTP request to `route` from IP, and the reply whose headers the guard sets. */
function request(route: string, type = 'http') {
  const req = { ip: IP, id: 'req-1', headers: {}, routeOptions: { url: route } };
  const reply = { headers: jest.fn() };
  class AnyController {}
  const context = {
    getType: () => type,
    getHandler: () => request,
    getClass: () => AnyController,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, reply };
}

describe('RateLimitGuard (the throttler with the contract’s behaviour)', () => {
  let guard: RateLimitGuard;
  let storage: { increment: jest.Mock<Promise<StorageRecord>, Parameters<ThrottlerStorage['increment']>> };
  let config: Pick<RateLimitConfig, 'enabled' | 'requests' | 'window' | 'authRequests' | 'authWindow'>;
  let security: Mocked<SecurityLogger>;
  let metrics: Mocked<MetricsService>;

  beforeEach(async () => {
    config = { enabled: true, requests: 100, window: 60, authRequests: 10, authWindow: 60 };
    storage = { increment: jest.fn().mockResolvedValue(hits(1)) };
    const options = rateLimitOptions(config as RateLimitConfig, storage as unknown as ThrottlerStorage);
    const { sut, mock } = await newTestService(RateLimitGuard, [
      Reflector,
      { provide: getOptionsToken(), useValue: options },
      { provide: getStorageToken(), useValue: storage },
      { provide: RateLimitConfig, useValue: config },
    ]);
    guard = sut;
    security = mock(SecurityLogger);
    metrics = mock(MetricsService);
    await guard.onModuleInit();
  });

  const keysCounted = () => storage.increment.mock.calls.map(([key]) => key).sort();

  it('counts a /user/auth request against the general and the auth limit, one budget per address', async () => {
    await expect(guard.canActivate(request('/user/auth/login').context)).resolves.toBe(true);
    await guard.canActivate(request('/user/auth/mfa').context);
    // The same two keys for both routes: the budget is the address's, not the handler's.
    expect(keysCounted()).toEqual([`auth:${IP}`, `auth:${IP}`, `default:${IP}`, `default:${IP}`]);
  });

  it('counts any other route against the general limit only', async () => {
    await guard.canActivate(request('/user/me').context);
    expect(keysCounted()).toEqual([`default:${IP}`]);
  });

  it('writes the RateLimit headers of the limit closest to exhaustion, without per-limit suffixes', async () => {
    storage.increment.mockImplementation((key) => Promise.resolve(hits(key.startsWith('auth') ? 7 : 2)));
    const { context, reply } = request('/user/auth/login');
    await guard.canActivate(context);
    expect(reply.headers).toHaveBeenCalledWith({
      'ratelimit-limit': '10',
      'ratelimit-remaining': '3',
      'ratelimit-reset': '50',
    });
  });

  it('refuses a request over a limit with 429 and Retry-After, logged and counted under that limit', async () => {
    storage.increment.mockImplementation((key) => Promise.resolve(key.startsWith('auth') ? hits(11, true) : hits(5)));
    const refused = await guard.canActivate(request('/user/auth/login').context).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).getStatus()).toBe(429);
    expect((refused as ProblemException).headers).toEqual({
      'ratelimit-limit': '10',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '30',
      'retry-after': '30',
    });
    expect(metrics.rateLimited).toHaveBeenCalledWith('auth');
    expect(security.warn).toHaveBeenCalledWith('rate_limited', {
      ip_address: IP,
      route: '/user/auth/login',
      limit: 'auth',
      request_id: 'req-1',
    });
  });

  it('starts every limit’s count before awaiting any, so that their round trips overlap', async () => {
    const pending: ((record: StorageRecord) => void)[] = [];
    storage.increment.mockImplementation(() => new Promise((resolve) => pending.push(resolve)));
    const verdict = guard.canActivate(request('/user/auth/login').context);
    await new Promise(setImmediate);
    expect(pending).toHaveLength(2);
    pending.forEach((resolve) => resolve(hits(1)));
    await expect(verdict).resolves.toBe(true);
  });

  it('counts nothing when rate limiting is switched off', async () => {
    config.enabled = false;
    await expect(guard.canActivate(request('/user/auth/login').context)).resolves.toBe(true);
    expect(storage.increment).not.toHaveBeenCalled();
  });

  it('lets anything but an HTTP request through uncounted', async () => {
    await expect(guard.canActivate(request('/user/me', 'rpc').context)).resolves.toBe(true);
    expect(storage.increment).not.toHaveBeenCalled();
  });
});
