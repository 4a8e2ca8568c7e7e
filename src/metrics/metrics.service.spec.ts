import { CompletedRequest, CompletedRequests } from '../common/completed-requests/completed-requests';
import { MetricsService } from './metrics.service';

function completed(route: string | undefined, status: number, elapsedMs: number): CompletedRequest {
  return {
    requestId: 'r',
    method: 'GET',
    path: route ?? '/nowhere',
    route,
    handler: route ? 'MeController.me' : 'none',
    userId: null,
    status,
    elapsedMs,
    completedAt: Date.now(),
  };
}

describe('MetricsService HTTP metrics', () => {
  it('counts and times each request of a batch by method, route template, handler and status', async () => {
    const metrics = new MetricsService();
    metrics.recordHttpRequests([
      completed('/user/me', 200, 2),
      completed('/user/me', 200, 40),
      completed(undefined, 404, 1),
    ]);
    const text = await metrics.prometheusText();
    expect(text).toContain(
      'http_requests_total{method="GET",route="/user/me",handler="MeController.me",status="200"} 2',
    );
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",handler="none",status="404"} 1');
    expect(text).toMatch(/http_request_duration_seconds_sum\{[^}]*route="\/user\/me"[^}]*\} 0\.042/);
  });

  it('takes the requests still waiting in their batch before any read, so a scrape counts every answered request', async () => {
    const metrics = new MetricsService();
    const pending = new CompletedRequests([(batch) => metrics.recordHttpRequests(batch)]);
    metrics.readPendingRequestsFrom(pending);
    pending.add(completed('/user/me', 200, 5));
    expect(await metrics.prometheusText()).toContain(
      'http_requests_total{method="GET",route="/user/me",handler="MeController.me",status="200"} 1',
    );
    pending.add(completed('/user/me', 200, 5));
    const histogram = await metrics.httpDuration.get();
    const count = histogram.values.find((value) => value.metricName === 'http_request_duration_seconds_count');
    expect(count?.value).toBe(2);
  });
});
