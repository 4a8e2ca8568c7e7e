import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult } from '@nestjs/terminus';
import { CheckResult, unhealthy } from './check-result';

function isHealthCheckResult(value: unknown): value is HealthCheckResult {
  return typeof value === 'object' && value !== null && 'status' in value && 'details' in value;
}

/**
 * HealthCheckService throws ServiceUnavailableException carrying the whole result once any indicator
 * is down (or the app is closing): a failed check is a result to report, not an error. Anything else
 * is a real error and goes on.
 */
export function resultOfFailedCheck(error: unknown): HealthCheckResult {
  if (error instanceof ServiceUnavailableException) {
    const response = error.getResponse();
    if (isHealthCheckResult(response)) return response;
  }
  throw error;
}

/** Terminus' `details` in the original's shape, `checks.<name>.status|message|latency_ms|mode`, in the order asked. */
export function checksFrom(result: HealthCheckResult, keys: readonly string[]): Record<string, CheckResult> {
  const checks: Record<string, CheckResult> = {};
  for (const key of keys) {
    const detail = result.details[key] as
      { status: string; message?: unknown; latency_ms?: unknown; mode?: unknown } | undefined;
    if (!detail) {
      checks[key] = unhealthy('Check failed');
      continue;
    }
    const message = typeof detail.message === 'string' ? detail.message : 'Check failed';
    const check: CheckResult = { status: detail.status === 'up' ? 'healthy' : 'unhealthy', message };
    if (typeof detail.latency_ms === 'number') check.latency_ms = detail.latency_ms;
    if (typeof detail.mode === 'string') check.mode = detail.mode;
    checks[key] = check;
  }
  return checks;
}
