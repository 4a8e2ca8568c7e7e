import { MetricsService } from './metrics.service';

export interface LatencyPercentiles {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export interface MetricsSummary {
  requests: { total: number; by_status_class: Record<string, number> };
  latency_ms: LatencyPercentiles;
  logins: { success: number; failure: number };
  rate_limited: number;
  token_rejections: number;
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * A quantile from cumulative histogram buckets, interpolated inside the bucket it falls in (as
 * Prometheus' histogram_quantile does). Beyond the last finite bound it answers that bound.
 */
export function quantileFromBuckets(buckets: Array<{ le: number; count: number }>, q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket === 0 ? le : lowerBound + ((le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

async function counterTotal(metric: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);
}

/** The JSON view of /health/metrics, computed on demand from the Prometheus metrics. */
export async function summarizeMetrics(metrics: MetricsService): Promise<MetricsSummary> {
  const histogram = await metrics.httpDuration.get();
  const byStatusClass: Record<string, number> = Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0]));
  const cumulative = new Map<number, number>();
  let total = 0;
  for (const { metricName, labels, value } of histogram.values) {
    if (metricName?.endsWith('_count')) {
      const statusClass = `${String(labels.status).charAt(0)}xx`;
      byStatusClass[statusClass] = (byStatusClass[statusClass] ?? 0) + value;
      total += value;
    } else if (metricName?.endsWith('_bucket')) {
      // prom-client adds the `le` label to bucket samples; the declared label names omit it.
      const { le: bound } = labels as Record<string, string | number>;
      const le = bound === '+Inf' ? Infinity : Number(bound);
      cumulative.set(le, (cumulative.get(le) ?? 0) + value);
    }
  }
  const buckets = [...cumulative].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  const percentile = (q: number): number | null => {
    const seconds = quantileFromBuckets(buckets, q);
    return seconds === null ? null : Math.round(seconds * 1e6) / 1e3;
  };
  const logins = (await metrics.logins.get()).values;
  const loginCount = (result: string): number =>
    logins.filter(({ labels }) => labels.result === result).reduce((sum, { value }) => sum + value, 0);
  return {
    requests: { total, by_status_class: byStatusClass },
    latency_ms: { p50: percentile(0.5), p90: percentile(0.9), p95: percentile(0.95), p99: percentile(0.99) },
    logins: { success: loginCount('success'), failure: loginCount('failure') },
    rate_limited: await counterTotal(metrics.rateLimitedRequests),
    token_rejections: await counterTotal(metrics.tokenRejections),
  };
}
