import { Clock } from '../../src/common/clock';

/** The app's Clock for tests that move time: real time plus whatever the test has advanced it by. */
export class ControlledClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the app's time forward (expiry of tokens, sessions, retention) without waiting. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Back to real time, so one test's jump does not leak into the next. */
  reset(): void {
    this.offsetMs = 0;
  }
}
