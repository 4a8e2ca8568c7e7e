import { ProblemException } from '../src/common/problem-details/problem.exception';
import { EmailRateLimiter } from '../src/security/rate-limit/email-rate-limiter.service';
import { freshClientIp } from './support/client-addresses';
import { startRateLimitProbeApp } from './support/rate-limit-probe-app';
import { TestApp } from './support/test-app';

type Injected = Awaited<ReturnType<TestApp['app']['inject']>>;

const LIMITS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_REQUESTS: '5',
  RATE_LIMIT_WINDOW: '3600',
  RATE_LIMIT_AUTH_REQUESTS: '3',
  RATE_LIMIT_AUTH_WINDOW: '60',
  RATE_LIMIT_EMAIL_REQUESTS: '2',
  RATE_LIMIT_EMAIL_WINDOW: '3600',
};

function get(t: TestApp, url: string, ip: string, headers: Record<string, string> = {}): Promise<Injected> {
  return t.app.inject({ method: 'GET', url, remoteAddress: ip, headers });
}

function post(t: TestApp, url: string, ip: string, headers: Record<string, string> = {}): Promise<Injected> {
  return t.app.inject({ method: 'POST', url, remoteAddress: ip, headers });
}

function rateLimitHeaders(res: Injected): Record<string, unknown> {
  return {
    limit: res.headers['ratelimit-limit'],
    remaining: res.headers['ratelimit-remaining'],
    reset: res.headers['ratelimit-reset'],
  };
}

function securityEvents(t: TestApp, event: string): Record<string, unknown>[] {
  return t
    .readLog('security.log')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.event_type === event);
}

describe('Rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startRateLimitProbeApp({ env: LIMITS });
  });
  afterAll(() => t.close());

  it('counts every route against RATE_LIMIT_REQUESTS per IP, then answers a 429 problem with Retry-After', async () => {
    const ip = freshClientIp();
    for (let left = 4; left >= 0; left -= 1) {
      const res = await get(t, '/probe', ip);
      expect(res.statusCode).toBe(200);
      expect(rateLimitHeaders(res)).toEqual({ limit: '5', remaining: String(left), reset: expect.any(String) });
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(3500);
    }
    const limited = await get(t, '/probe', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests', instance: '/probe' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    expect(rateLimitHeaders(limited)).toMatchObject({ limit: '5', remaining: '0' });

    const otherClient = await get(t, '/probe', freshClientIp());
    expect(otherClient.statusCode).toBe(200);
  });

  it('names its headers exactly as the contract does, without throttler suffixes', async () => {
    const ip = freshClientIp();
    const res = await post(t, '/user/auth/probe-a', ip);
    const names = Object.keys(res.headers).filter((name) => /rate-?limit|retry-after/i.test(name));
    expect(names.sort()).toEqual(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']);
  });

  it('shares one auth budget between every /user/auth route and describes the limit closest to exhaustion', async () => {
    const ip = freshClientIp();
    const first = await post(t, '/user/auth/probe-a', ip);
    expect(rateLimitHeaders(first)).toMatchObject({ limit: '3', remaining: '2' });
    expect(Number(first.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    expect((await post(t, '/user/auth/probe-b', ip)).statusCode).toBe(200);
    expect((await post(t, '/user/auth/probe-a', ip)).statusCode).toBe(200);

    const limited = await post(t, '/user/auth/probe-b', ip);
    expect(limited.statusCode).toBe(429);
    expect(rateLimitHeaders(limited)).toMatchObject({ limit: '3', remaining: '0' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    // The auth budget is not the default one: the same client still reaches other routes.
    const elsewhere = await get(t, '/probe', ip);
    expect(elsewhere.statusCode).toBe(200);
    expect(rateLimitHeaders(elsewhere)).toMatchObject({ limit: '5', remaining: '4' });
  });

  it('writes each refusal to the security log with the ip, the route and the limit', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 4; i += 1) await post(t, '/user/auth/probe-a', ip);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = securityEvents(t, 'rate_limited').filter((event) => event.ip === ip);
    expect(events).toEqual([expect.objectContaining({ ip, route: '/user/auth/probe-a', limit: 'auth' })]);
  });

  it('keys the client by its socket address: an invented X-Forwarded-For changes nothing', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 3; i += 1) {
      const res = await post(t, '/user/auth/probe-a', ip, { 'x-forwarded-for': freshClientIp() });
      expect(res.statusCode).toBe(200);
    }
    const spoofed = await post(t, '/user/auth/probe-a', ip, { 'x-forwarded-for': freshClientIp() });
    expect(spoofed.statusCode).toBe(429);
  });

  it('never limits the health probes', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 30; i += 1) {
      const res = await get(t, i % 2 === 0 ? '/health' : '/health/live', ip);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('limits mail per normalised address, whatever its spelling', async () => {
    const limiter = t.app.get(EmailRateLimiter);
    const address = `${freshClientIp()}@Example.com`;
    await limiter.consume(address);
    await limiter.consume(`  ${address.toLowerCase()} `);
    const refusal = await limiter.consume(address.toUpperCase()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProblemException);
    expect((refusal as ProblemException).getStatus()).toBe(429);
    expect(Number((refusal as ProblemException).headers['retry-after'])).toBeGreaterThan(3500);
    await expect(limiter.consume(`other-${address}`)).resolves.toBeUndefined();
  });
});

describe('Rate limits behind a trusted proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startRateLimitProbeApp({ env: { ...LIMITS, TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('keys each client by the X-Forwarded-For address the proxy reports', async () => {
    const proxy = freshClientIp();
    const client = freshClientIp();
    for (let i = 0; i < 3; i += 1) {
      expect((await post(t, '/user/auth/probe-a', proxy, { 'x-forwarded-for': client })).statusCode).toBe(200);
    }
    expect((await post(t, '/user/auth/probe-a', proxy, { 'x-forwarded-for': client })).statusCode).toBe(429);
    const another = await post(t, '/user/auth/probe-a', proxy, { 'x-forwarded-for': freshClientIp() });
    expect(another.statusCode).toBe(200);
  });
});

describe('Rate limits switched off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startRateLimitProbeApp({ env: { ...LIMITS, RATE_LIMIT_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('lets every request through without rate-limit headers, mail included', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 8; i += 1) {
      const res = await post(t, '/user/auth/probe-a', ip);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    const limiter = t.app.get(EmailRateLimiter);
    for (let i = 0; i < 4; i += 1) await limiter.consume('someone@example.com');
  });
});
