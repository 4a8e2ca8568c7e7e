import { randomUUID } from 'node:crypto';
import { MetricsService } from '../src/metrics/metrics.service';
import { assertHistogramsConsistent, MetricFamily, parsePrometheusText, Sample } from './support/prometheus-text';
import { startTestApp, TestApp } from './support/test-app';

describe('Prometheus metrics at /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function scrape(): Promise<{ text: string; families: Map<string, MetricFamily> }> {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return { text: res.body, families: parsePrometheusText(res.body) };
  }

  function samples(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): Sample[] {
    const family = [...families.values()].find((f) => f.samples.some((s) => s.name === name));
    return (family?.samples ?? []).filter(
      (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
    );
  }

  it('rejects malformed exposition text (the reader used below is strict)', () => {
    expect(() => parsePrometheusText('# TYPE a counter\na{b="c} 1\n')).toThrow(/malformed sample/);
    expect(() => parsePrometheusText('undeclared_metric 1\n')).toThrow(/undeclared family/);
    expect(() => parsePrometheusText('# TYPE a counter\na 1')).toThrow(/newline/);
  });

  it('serves valid Prometheus text with the Node process metrics and the service counters', async () => {
    const { families } = await scrape();
    assertHistogramsConsistent(families);
    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      http_requests_total: 'counter',
      http_request_duration_seconds: 'histogram',
      auth_logins_total: 'counter',
      rate_limited_total: 'counter',
      auth_token_rejections_total: 'counter',
    });
    for (const family of families.values())
      expect({ name: family.name, help: family.help }).not.toMatchObject({ help: '' });
  });

  it('labels requests by route template, never by raw URL', async () => {
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await t.app.inject({ method: 'GET', url: `/admin/users/${id}` });
    const unknown = `/no-such-route-${randomUUID()}`;
    await t.app.inject({ method: 'GET', url: unknown });
    const { text, families } = await scrape();
    const byTemplate = samples(families, 'http_requests_total', { method: 'GET', route: '/admin/users/:id' });
    expect(byTemplate).toHaveLength(1);
    // Refused by the JWT guard: no handler ran.
    expect(byTemplate[0]).toMatchObject({ value: 2, labels: { status: '401', handler: 'none' } });
    const unmatched = samples(families, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' });
    expect(unmatched.map((s) => s.value)).toEqual([1]);
    for (const raw of [...ids, unknown]) expect(text).not.toContain(raw);
    const routes = new Set(families.get('http_requests_total')?.samples.map((s) => s.labels.route));
    for (const route of routes) expect(route === 'unmatched' || route.startsWith('/')).toBe(true);
  });

  it('labels a request that reached a handler with the handler the interceptor named', async () => {
    await t.app.inject({ method: 'GET', url: '/health/live' });
    const live = samples((await scrape()).families, 'http_requests_total', { method: 'GET', route: '/health/live' });
    expect(live.map((s) => s.labels.handler)).toEqual(['HealthController.live']);
  });

  it('times each request in the duration histogram of its route', async () => {
    const before = samples((await scrape()).families, 'http_request_duration_seconds_count', {
      route: '/health/live',
    }).reduce((sum, s) => sum + s.value, 0);
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'GET', url: '/health/live' });
    const { families } = await scrape();
    const count = samples(families, 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/health/live',
      status: '200',
    });
    expect(count.map((s) => s.value)).toEqual([before + 5]);
    const sum = samples(families, 'http_request_duration_seconds_sum', { route: '/health/live' })[0];
    expect(sum.value).toBeGreaterThan(0);
    expect(sum.value).toBeLessThan(count[0].value);
  });

  it('exposes the counters other modules increment through MetricsService', async () => {
    const metrics = t.app.get(MetricsService);
    metrics.loginAttempt('success');
    metrics.loginAttempt('failure');
    metrics.loginAttempt('failure');
    metrics.rateLimited('auth');
    metrics.tokenRejected('expired');
    metrics.tokenRejected('expired');
    metrics.tokenRejected('revoked');
    const { families } = await scrape();
    const value = (name: string, labels: Record<string, string>): number[] =>
      samples(families, name, labels).map((s) => s.value);
    expect(value('auth_logins_total', { result: 'success' })).toEqual([1]);
    expect(value('auth_logins_total', { result: 'failure' })).toEqual([2]);
    expect(value('rate_limited_total', { limit: 'auth' })).toEqual([1]);
    expect(value('auth_token_rejections_total', { reason: 'expired' })).toEqual([2]);
    expect(value('auth_token_rejections_total', { reason: 'revoked' })).toEqual([1]);
  });

  it('keeps one registry per application instance', async () => {
    const other = await startTestApp();
    try {
      other.app.get(MetricsService).tokenRejected('only-in-the-other-app');
      const { text } = await scrape();
      expect(text).not.toContain('only-in-the-other-app');
      const res = await other.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.body).toContain('reason="only-in-the-other-app"');
    } finally {
      await other.close();
    }
  });
});

describe('METRICS_TOKEN closes /metrics and the detailed health routes', () => {
  const TOKEN = 'metrics-token-for-the-e2e-tests-7f3a9c';
  const CLOSED = ['/metrics', '/health/metrics', '/health/detailed', '/health/full'];
  const PROBES = ['/health', '/health/', '/health/live', '/health/ready', '/health/database'];
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('answers 401 problem+json with WWW-Authenticate: Bearer without the token or with a wrong one', async () => {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: 'Bearer ' },
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
    ];
    for (const url of CLOSED) {
      for (const headers of wrong) {
        const res = await get(url, headers);
        expect({ url, headers, status: res.statusCode }).toEqual({ url, headers, status: 401 });
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).not.toContain(TOKEN);
      }
    }
  });

  it('answers 200 with the token', async () => {
    for (const url of CLOSED) {
      const res = await get(url, { authorization: `Bearer ${TOKEN}` });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
    }
    expect((await get('/metrics', { authorization: `bearer ${TOKEN}` })).statusCode).toBe(200);
  });

  it('leaves the probes open', async () => {
    for (const url of PROBES) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
    }
  });

  it('records the metrics-token security scheme on the closed routes only', async () => {
    const document = (await get('/openapi.json')).json<{
      paths: Record<
        string,
        { get: { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> } }
      >;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(document.components.securitySchemes.metricsToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const url of CLOSED) {
      expect({ url, security: document.paths[url].get.security }).toEqual({ url, security: [{ metricsToken: [] }] });
      expect(document.paths[url].get.responses['401']).toBeDefined();
    }
    for (const url of ['/health', '/health/live', '/health/ready', '/health/database']) {
      expect({ url, security: document.paths[url].get.security }).toEqual({ url, security: undefined });
    }
  });
});
