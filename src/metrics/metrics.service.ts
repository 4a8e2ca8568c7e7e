import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { CompletedRequest } from '../common/completed-requests/completed-requests';
import {
  AUTH_LOGINS_TOTAL,
  AUTH_TOKEN_REJECTIONS_TOTAL,
  DURATION_BUCKETS,
  HTTP_REQUEST_DURATION_SECONDS,
  HTTP_REQUESTS_TOTAL,
  LoginResult,
  RATE_LIMITED_TOTAL,
  REDIS_FALLBACKS_TOTAL,
  UNMATCHED_ROUTE,
} from './metric-names';

type HttpLabel = 'method' | 'route' | 'handler' | 'status';

interface HttpSeries {
  labels: Record<HttpLabel, string>;
  duration: Histogram.Internal<HttpLabel>;
  answered: number;
}

/**
 * The application's metrics, in a registry of its own per application instance (the tests boot
 * several apps in one process, and prom-client's global registry would mix them). Other modules
 * inject this to count logins, rate-limited requests and token rejections.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter<HttpLabel>({
    name: HTTP_REQUESTS_TOTAL,
    help: 'HTTP requests answered, by method, route template, handler (`none` when no handler ran) and status code',
    labelNames: ['method', 'route', 'handler', 'status'],
    registers: [this.registry],
    // Brought up to date when read: a request adds to a plain number, and prom-client's label
    // hashing runs once per series and scrape instead of once per request.
    collect: () => {
      this.takePendingRequests();
      this.countAnsweredRequests();
    },
  });

  readonly httpDuration = new Histogram<HttpLabel>({
    name: HTTP_REQUEST_DURATION_SECONDS,
    help: 'Time from receiving a request to sending its response, by route template',
    labelNames: ['method', 'route', 'handler', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
    collect: () => this.takePendingRequests(),
  });

  readonly logins = new Counter<'result'>({
    name: AUTH_LOGINS_TOTAL,
    help: 'Login attempts by result',
    labelNames: ['result'],
    registers: [this.registry],
  });

  readonly rateLimitedRequests = new Counter<'limit'>({
    name: RATE_LIMITED_TOTAL,
    help: 'Requests refused with 429, by the limit they exceeded',
    labelNames: ['limit'],
    registers: [this.registry],
  });

  readonly tokenRejections = new Counter<'reason'>({
    name: AUTH_TOKEN_REJECTIONS_TOTAL,
    help: 'Access or refresh tokens refused, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly redisFallbacks = new Counter({
    name: REDIS_FALLBACKS_TOTAL,
    help:
      "Operations (rate-limit counts, WebAuthn challenges) answered from this instance's memory while REDIS_URL " +
      'is set, because Redis was down or did not answer within the deadline',
    registers: [this.registry],
  });

  /** The HTTP series by "method route handler status": a request costs a Map lookup and one observation. */
  private readonly httpSeries = new Map<string, HttpSeries>();

  /** Hands over the requests completed but not yet recorded (CompletedRequests.flush), before any read. */
  private takePendingRequests: () => void = () => undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Present from the start, so a dashboard shows 0 rather than no data before the first login.
    this.logins.labels('success').inc(0);
    this.logins.labels('failure').inc(0);
  }

  loginAttempt(result: LoginResult): void {
    this.logins.labels(result).inc();
  }

  /** `limit` names the limit (e.g. "default", "auth", "email", "lockout"): a fixed set, never an IP. */
  rateLimited(limit: string): void {
    this.rateLimitedRequests.labels(limit).inc();
  }

  redisFallback(): void {
    this.redisFallbacks.inc();
  }

  /** `reason` comes from a fixed set (e.g. "expired", "invalid", "revoked"), never from the token. */
  tokenRejected(reason: string): void {
    this.tokenRejections.labels(reason).inc();
  }

  /** The requests answered since the last batch (a CompletedRequests consumer). */
  recordHttpRequests(batch: readonly CompletedRequest[]): void {
    for (const request of batch) {
      this.recordHttpRequest(
        request.method,
        request.route ?? UNMATCHED_ROUTE,
        request.handler,
        request.status,
        request.elapsedMs / 1000,
      );
    }
  }

  /**
   * Where requests wait before recordHttpRequests sees them: both HTTP metrics take them first when
   * read (a scrape, /health/metrics), so a read counts every request answered before it.
   */
  readPendingRequestsFrom(pending: { flush(): void }): void {
    this.takePendingRequests = () => pending.flush();
  }

  private recordHttpRequest(method: string, route: string, handler: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${handler} ${status}`;
    let series = this.httpSeries.get(key);
    if (series === undefined) {
      const labels = { method, route, handler, status: String(status) };
      series = { labels, duration: this.httpDuration.labels(labels), answered: 0 };
      this.httpSeries.set(key, series);
    }
    series.answered += 1;
    series.duration.observe(seconds);
  }

  /** Sets the counter to the answered requests of each series (it only ever goes up, like them). */
  private countAnsweredRequests(): void {
    this.httpRequests.reset();
    for (const series of this.httpSeries.values()) this.httpRequests.inc(series.labels, series.answered);
  }

  prometheusText(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
