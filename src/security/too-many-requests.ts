import { ProblemException } from '../common/problem-details/problem.exception';

/** A 429 problem whose Retry-After (whole seconds, at least 1) tells the client when to come back. */
export function tooManyRequests(
  detail: string,
  retryAfterSeconds: number,
  headers: Record<string, string> = {},
): ProblemException {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ProblemException(429, detail, undefined, { ...headers, 'retry-after': String(seconds) });
}
