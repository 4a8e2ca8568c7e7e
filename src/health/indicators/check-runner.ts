import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CHECK_TIMEOUT_MS, CheckResult, CheckStatus, CheckTimeoutError, unhealthy, within } from './check-result';

/**
 * What every indicator does around its own check: the 1 s budget, a failure message that never shows
 * the error itself (that goes to the log only), one log line per change of state, and the answer as
 * Terminus' up/down result carrying the original's `message` and `latency_ms`.
 */
@Injectable()
export class CheckRunner {
  private readonly logger = new Logger('Health');
  private readonly lastStatus = new Map<string, CheckStatus>();

  constructor(private readonly indicators: HealthIndicatorService) {}

  async run(key: string, failureMessage: string, check: () => Promise<CheckResult>): Promise<HealthIndicatorResult> {
    let result: CheckResult;
    let cause: string | undefined;
    try {
      result = await within(CHECK_TIMEOUT_MS, check);
    } catch (error) {
      cause = (error as Error).message ?? String(error);
      result = unhealthy(`${failureMessage}${error instanceof CheckTimeoutError ? ` (${cause})` : ''}`);
    }
    this.logTransition(key, result, cause);
    const { status, ...data } = result;
    const session = this.indicators.check(key);
    return status === 'healthy' ? session.up(data) : session.down(data);
  }

  /** One log line when a check changes state, not one per probe while a dependency is down. */
  private logTransition(name: string, result: CheckResult, cause: string | undefined): void {
    const previous = this.lastStatus.get(name);
    this.lastStatus.set(name, result.status);
    if (result.status === previous) return;
    if (result.status === 'unhealthy') this.logger.warn(`health check ${name} unhealthy: ${cause ?? result.message}`);
    else if (previous === 'unhealthy') this.logger.log(`health check ${name} healthy again`);
  }
}
