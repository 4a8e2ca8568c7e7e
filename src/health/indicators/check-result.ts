export type CheckStatus = 'healthy' | 'unhealthy';

/** One dependency's state, in the original service's shape: `checks.<name>.status|message`. */
export interface CheckResult {
  status: CheckStatus;
  message: string;
  latency_ms?: number;
  /** Redis only: the topology REDIS_URL names (single, sentinel, cluster), never a host. */
  mode?: string;
}

/** Each check gets its own budget, so a probe never waits on a dead dependency. */
export const CHECK_TIMEOUT_MS = 1000;

export class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

export function healthy(message: string, latencyMs?: number): CheckResult {
  return latencyMs === undefined
    ? { status: 'healthy', message }
    : { status: 'healthy', message, latency_ms: latencyMs };
}

export function unhealthy(message: string): CheckResult {
  return { status: 'unhealthy', message };
}

/** Runs the check, rejecting with CheckTimeoutError if it has not settled within timeoutMs. */
export function within<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
  });
  // race() handles both: a late rejection of the abandoned work is not unhandled.
  return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
}

export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
