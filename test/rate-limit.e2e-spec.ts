import { ProblemException } from '../src/common/problem-details/problem.exception';
import { EmailRateLimiter } from '../src/security/rate-limit/email-rate-limiter';
import { freshClientIp } from './support/client-addresses';
import { startTestApp, TestApp } from './support/test-app';

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

/** /user/auth routes that answer without touching an account: a failed login, refresh and logout. */
const AUTH_CALLS = {
  login: { url: '/user/auth/login', payload: { email: 'nobody@example.com', password: 'Not-The-One-42' } },
  refresh: { url: '/user/auth/refresh', payload: { refreshToken: 'not-a-refresh-token' } },
  logout: { url: '/user/auth/logout', payload: undefined },
};

function auth(
  t: TestApp,
  call: keyof typeof AUTH_CALLS,
  ip: string,
  headers: Record<string, string> = {},
): Promise<Injected> {
  const { url, payload } = AUTH_CALLS[call];
  return t.app.inject({ method: 'POST', url, payload, remoteAddress: ip, headers });
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
    t = await startTestApp({ env: LIMITS });
  });
  afterAll(() => t.close());

  it('counts every route against RATE_LIMIT_REQUESTS per IP, then answers a 429 problem with Retry-After', async () => {
    const ip = freshClientIp();
    for (let left = 4; left >= 0; left -= 1) {
      const res = await get(t, '/user/me', ip);
      expect(res.statusCode).toBe(401);
      expect(rateLimitHeaders(res)).toEqual({ limit: '5', remaining: String(left), reset: expect.any(String) });
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(3500);
    }
    const limited = await get(t, '/user/me', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests', instance: '/user/me' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    expect(rateLimitHeaders(limited)).toMatchObject({ limit: '5', remaining: '0' });
    // One budget per address across every route, like the original's limit: another route is spent too.
    expect((await get(t, '/user/sessions', ip)).statusCode).toBe(429);

    expect((await get(t, '/user/me', freshClientIp())).statusCode).toBe(401);
  });

  it('runs before authentication: requests with bad tokens are limited too', async () => {
    const ip = freshClientIp();
    const bearer = { authorization: 'Bearer not-a-token' };
    for (let i = 0; i < 5; i += 1) expect((await get(t, '/user/sessions', ip, bearer)).statusCode).toBe(401);
    expect((await get(t, '/user/sessions', ip, bearer)).statusCode).toBe(429);
  });

  it('names its headers exactly as the contract does, without throttler suffixes', async () => {
    const res = await auth(t, 'logout', freshClientIp());
    expect(res.statusCode).toBe(204);
    const names = Object.keys(res.headers).filter((name) => /rate-?limit|retry-after/i.test(name));
    expect(names.sort()).toEqual(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']);
  });

  it('shares one auth budget between every /user/auth route and describes the limit closest to exhaustion', async () => {
    const ip = freshClientIp();
    const first = await auth(t, 'login', ip);
    expect(first.statusCode).toBe(401);
    expect(rateLimitHeaders(first)).toMatchObject({ limit: '3', remaining: '2' });
    expect(Number(first.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    expect((await auth(t, 'refresh', ip)).statusCode).toBe(401);
    expect((await auth(t, 'logout', ip)).statusCode).toBe(204);

    const limited = await auth(t, 'refresh', ip);
    expect(limited.statusCode).toBe(429);
    expect(rateLimitHeaders(limited)).toMatchObject({ limit: '3', remaining: '0' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    // The auth budget is not the default one: the same client still reaches other routes, whose one
    // per-address budget the four auth requests also drew on (this is the fifth of five).
    const elsewhere = await get(t, '/user/me', ip);
    expect(elsewhere.statusCode).toBe(401);
    expect(rateLimitHeaders(elsewhere)).toMatchObject({ limit: '5', remaining: '0' });
  });

  it('writes each refusal to the security log with the ip, the route and the limit', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 4; i += 1) await auth(t, 'logout', ip);
    await t.waitForLog('security.log', new RegExp(`rate_limited.*${ip.replace(/\./g, '\\.')}`));
    const events = securityEvents(t, 'rate_limited').filter((event) => event.ip_address === ip);
    expect(events).toEqual([expect.objectContaining({ ip_address: ip, route: '/user/auth/logout', limit: 'auth' })]);
    const metrics = await get(t, '/metrics', ip);
    expect(Number(/^rate_limited_total\{limit="auth"\} (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThan(0);
  });

  it('keys the client by its socket address: an invented X-Forwarded-For changes nothing', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 3; i += 1) {
      expect((await auth(t, 'logout', ip, { 'x-forwarded-for': freshClientIp() })).statusCode).toBe(204);
    }
    expect((await auth(t, 'logout', ip, { 'x-forwarded-for': freshClientIp() })).statusCode).toBe(429);
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
    t = await startTestApp({ env: { ...LIMITS, TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('keys each client by the X-Forwarded-For address the proxy reports', async () => {
    const proxy = freshClientIp();
    const client = freshClientIp();
    for (let i = 0; i < 3; i += 1) {
      expect((await auth(t, 'logout', proxy, { 'x-forwarded-for': client })).statusCode).toBe(204);
    }
    expect((await auth(t, 'logout', proxy, { 'x-forwarded-for': client })).statusCode).toBe(429);
    expect((await auth(t, 'logout', proxy, { 'x-forwarded-for': freshClientIp() })).statusCode).toBe(204);
  });
});

describe('Rate limits switched off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...LIMITS, RATE_LIMIT_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('lets every request through without rate-limit headers, mail included', async () => {
    const ip = freshClientIp();
    for (let i = 0; i < 8; i += 1) {
      const res = await auth(t, 'logout', ip);
      expect(res.statusCode).toBe(204);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    const limiter = t.app.get(EmailRateLimiter);
    for (let i = 0; i < 4; i += 1) await limiter.consume('someone@example.com');
  });
});
