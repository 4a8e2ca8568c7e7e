/** Names and label sets of the service's own metrics: dashboards and alerts depend on them. */
export const HTTP_REQUESTS_TOTAL = 'http_requests_total';
export const HTTP_REQUEST_DURATION_SECONDS = 'http_request_duration_seconds';
export const AUTH_LOGINS_TOTAL = 'auth_logins_total';
export const RATE_LIMITED_TOTAL = 'rate_limited_total';
export const AUTH_TOKEN_REJECTIONS_TOTAL = 'auth_token_rejections_total';
export const REDIS_FALLBACKS_TOTAL = 'redis_fallbacks_total';

/** The route label of a request that matched no route: raw URLs would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds; finer at the low end, where an auth API spends most of its requests. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type LoginResult = 'success' | 'failure';
