import { Injectable } from '@nestjs/common';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { normaliseEmail } from '../../common/email-address';
import { emailDigest } from '../email-digest';
import { SecurityLogger } from '../security-logger';
import { tooManyRequests } from '../too-many-requests';
import { LockoutAttempt } from './lockout-attempt';
import { LockoutCounter, LockoutPolicy } from './lockout-policy';
import { LoginFailureRepository } from './login-failure.repository';

/**
 * Account lockout per normalised email, whether or not an account has it, whatever the IP: the
 * same answer for every address, so a 429 reveals nothing. Not switched by RATE_LIMIT_ENABLED.
 * A check of a guessable secret reserves an attempt before judging it and settles it after (failure,
 * success, or release when there is no verdict), so concurrent guesses cannot outrun the threshold.
 * Two counters: `password` (the default, for wrong passwords) and `code` (wrong second-factor codes);
 * either one at the threshold locks every check of the address.
 */
/** At most this many reservations wait to be given back (a long outage under heavy load). */
const MAX_UNWRITTEN = 10_000;

@Injectable()
export class LockoutService {
  private readonly policy: LockoutPolicy;
  /**
   * Reservations whose settlement the database could not take (it went away mid-request, and the
   * client got a 503, not a verdict): given back before this instance's next reservation, so that an
   * outage does not leave addresses refused. Bounded; what is lost lapses after 60 s (the repository).
   */
  private readonly unwritten: { key: string; counter: LockoutCounter }[] = [];

  constructor(
    config: RateLimitConfig,
    private readonly counters: LoginFailureRepository,
    private readonly securityLog: SecurityLogger,
    private readonly metrics: MetricsService,
  ) {
    this.policy = {
      threshold: config.lockoutThreshold,
      windowSeconds: config.lockoutWindow,
      durationSeconds: config.lockoutDuration,
    };
  }

  /**
   * Reserves an attempt (429 while locked), lets `judge` give it its verdict, and gives it back if it got
   * none: the one reserve → verdict → settle/release sequence of every check of a guessable secret.
   */
  async attempt<T>(email: string, counter: LockoutCounter, judge: (attempt: LockoutAttempt) => Promise<T>): Promise<T> {
    await this.reserve(email, counter);
    const attempt = new LockoutAttempt(this, email, counter);
    try {
      return await judge(attempt);
    } finally {
      await attempt.end();
    }
  }

  /** Counts one attempt, or throws a 429 problem with Retry-After while locked or the budget is taken. */
  async reserve(email: string, counter: LockoutCounter = 'password'): Promise<void> {
    await this.giveBackUnwritten();
    const reservation = await this.counters.reserve(emailDigest(email), counter, this.policy);
    if (reservation.granted) return;
    const seconds = reservation.retryAfterSeconds;
    this.metrics.rateLimited('lockout');
    throw tooManyRequests(`Too many failed logins for this email address; try again in ${seconds} seconds`, seconds);
  }

  /** Counts a failure; true when it started a lock (the caller records `account.locked`). */
  async settleFailure(email: string, ip?: string, counter: LockoutCounter = 'password'): Promise<boolean> {
    const outcome = await this.settling(email, counter, (key) =>
      this.counters.settleFailure(key, counter, this.policy),
    );
    if (outcome.lockStarted) {
      this.securityLog.warn('account_locked', {
        email: normaliseEmail(email),
        ip_address: ip,
        counter,
        failures: this.policy.threshold,
        locked_for_seconds: outcome.lockedForSeconds,
      });
    }
    return outcome.lockStarted;
  }

  /** A completed sign-in: the failures of both counters are forgotten; a running lock is not. */
  async settleSuccess(email: string, counter: LockoutCounter = 'password'): Promise<void> {
    await this.settling(email, counter, (key) => this.counters.settleSuccess(key, counter));
  }

  /** The attempt got no verdict (or a right secret that completes no sign-in): its reservation goes back. */
  async release(email: string, counter: LockoutCounter = 'password'): Promise<void> {
    await this.settling(email, counter, (key) => this.counters.release(key, counter));
  }

  /**
   * A completed password reset: the owner proved control of the mailbox, so the password counter and
   * its lock are gone. Never the code counter: the mailbox proves nothing about the second factor.
   */
  async clear(email: string): Promise<void> {
    await this.counters.clear(emailDigest(email), 'password');
  }

  /** Runs a settlement; when the database fails it, the reservation is remembered to be given back. */
  private async settling<T>(email: string, counter: LockoutCounter, settle: (key: string) => Promise<T>): Promise<T> {
    const key = emailDigest(email);
    try {
      return await settle(key);
    } catch (error) {
      if (this.unwritten.length < MAX_UNWRITTEN) this.unwritten.push({ key, counter });
      throw error;
    }
  }

  /** Taken out at once (a concurrent reservation cannot give one back twice); put back if still refused. */
  private async giveBackUnwritten(): Promise<void> {
    if (this.unwritten.length === 0) return;
    const pending = this.unwritten.splice(0);
    while (pending.length > 0) {
      const [next] = pending;
      try {
        await this.counters.release(next.key, next.counter);
      } catch (error) {
        this.unwritten.push(...pending.slice(0, MAX_UNWRITTEN - this.unwritten.length));
        throw error;
      }
      pending.shift();
    }
  }
}
