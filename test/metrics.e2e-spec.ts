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
    expect(byTemplate[0]).toMatchObject({ value: 2, labels: { status: '401' } });
    const unmatched = samples(families, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' });
    expect(unmatched.map((s) => s.value)).toEqual([1]);
    for (const raw of [...ids, unknown]) expect(text).not.toContain(raw);
    const routes = new Set(families.get('http_requests_total')?.samples.map((s) => s.labels.route));
    for (const route of routes) expect(route === 'unmatched' || route.startsWith('/')).toBe(true);
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
