import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LoginFailure } from './entities/login-failure.entity';
import {
  BUDGET_IN_USE_RETRY_SECONDS,
  FailureOutcome,
  LockoutCounter,
  LockoutPolicy,
  Reservation,
} from './lockout-policy';

// Parameters, always in this order (each statement uses a prefix of them): $1 email hash, $2 counter,
// $3 threshold, $4 window seconds, $5 duration seconds. f is the counter's existing row.
const LOCKED = `f."locked_until" > now()`;
/**
 * Reservations older than this were never settled: their request died with the database (its release
 * could not be written). No request lives this long (REQUEST_TIMEOUT_MS and the query timeout are
 * shorter), so they stop holding the budget instead of refusing the address until its window ends.
 */
const ABANDONED = `f."reserved_at" <= now() - interval '60 seconds'`;
/** A lock that ran out, or a window that ended, starts the count again. */
const STARTS_AGAIN = `(f."locked_until" IS NOT NULL OR f."window_started_at" <= now() - $4::integer * interval '1 second')`;
const NOT_LOCKED = `("locked_until" IS NULL OR "locked_until" <= now())`;
/** Either counter at the threshold locks sign-in, whichever counter an attempt belongs to. */
const OTHER_COUNTER_LOCKED = `EXISTS (
    SELECT 1 FROM "login_failures" o
    WHERE o."email_hash" = $1 AND o."counter" <> $2 AND o."locked_until" > now())`;

/**
 * One upsert: its WHERE leaves the row alone (and returns nothing) while locked or while the budget
 * is taken, so concurrent reservations on any instance never grant more than the threshold.
 */
const RESERVE = `
  INSERT INTO "login_failures" AS f
    ("email_hash", "counter", "attempt_count", "failure_count", "window_started_at", "reserved_at")
  SELECT $1::char(64), $2::varchar, 1, 0, now(), now() WHERE NOT ${OTHER_COUNTER_LOCKED}
  ON CONFLICT ("email_hash", "counter") DO UPDATE SET
    "attempt_count" = CASE WHEN ${STARTS_AGAIN} THEN 1 WHEN ${ABANDONED} THEN f."failure_count" + 1
                      ELSE f."attempt_count" + 1 END,
    "failure_count" = CASE WHEN ${STARTS_AGAIN} THEN 0 ELSE f."failure_count" END,
    "window_started_at" = CASE WHEN ${STARTS_AGAIN} THEN now() ELSE f."window_started_at" END,
    "reserved_at" = now(),
    "locked_until" = NULL
  WHERE (f."locked_until" IS NULL OR NOT ${LOCKED})
    AND (${STARTS_AGAIN} OR f."attempt_count" < $3::integer OR (${ABANDONED} AND f."failure_count" < $3::integer))
    AND NOT ${OTHER_COUNTER_LOCKED}
  RETURNING 1`;

const NEXT_COUNT = `CASE WHEN ${STARTS_AGAIN} THEN 1 ELSE f."failure_count" + 1 END`;
const LOCK_END = `now() + $5::integer * interval '1 second'`;

/**
 * One upsert per failure (the row exists unless a reset cleared it meanwhile). now() is fixed for
 * the statement, so a locked_until equal to now() + duration means this very statement started the lock.
 */
const SETTLE_FAILURE = `
  INSERT INTO "login_failures" AS f
    ("email_hash", "counter", "attempt_count", "failure_count", "window_started_at", "locked_until")
  VALUES ($1::char(64), $2::varchar, 1, 1, now(), CASE WHEN $3::integer <= 1 THEN ${LOCK_END} END)
  ON CONFLICT ("email_hash", "counter") DO UPDATE SET
    "failure_count" = CASE WHEN ${LOCKED} THEN f."failure_count" ELSE ${NEXT_COUNT} END,
    "attempt_count" = CASE WHEN ${LOCKED} THEN f."attempt_count" WHEN ${STARTS_AGAIN} THEN 1
                      ELSE greatest(f."attempt_count", f."failure_count" + 1) END,
    "window_started_at" = CASE WHEN ${LOCKED} THEN f."window_started_at" WHEN ${STARTS_AGAIN} THEN now()
                          ELSE f."window_started_at" END,
    "locked_until" = CASE WHEN ${LOCKED} THEN f."locked_until" WHEN ${NEXT_COUNT} >= $3::integer THEN ${LOCK_END} END
  RETURNING
    coalesce(ceil(extract(epoch FROM "locked_until" - now())), 0)::integer AS "lockedForSeconds",
    coalesce("locked_until" = ${LOCK_END}, false) AS "lockStarted"`;

/**
 * A completed sign-in: the failures of both counters are forgotten; the settled counter gives back its
 * own reservation, and reservations of other clients still being judged stay counted. A lock runs on.
 */
const SETTLE_SUCCESS = `
  WITH settled AS (
    UPDATE "login_failures"
    SET "attempt_count" = greatest("attempt_count" - "failure_count" - CASE WHEN "counter" = $2 THEN 1 ELSE 0 END, 0),
        "failure_count" = 0
    WHERE "email_hash" = $1 AND ${NOT_LOCKED}
    RETURNING "attempt_count")
  SELECT count(*) FILTER (WHERE "attempt_count" = 0)::integer AS "emptied" FROM settled`;

/** Deleted only while still empty: a reservation made since keeps the row. */
const DELETE_EMPTY = `
  DELETE FROM "login_failures" WHERE "email_hash" = $1 AND "attempt_count" = 0 AND ${NOT_LOCKED}`;

const RELEASE = `
  UPDATE "login_failures" SET "attempt_count" = greatest("attempt_count" - 1, "failure_count")
  WHERE "email_hash" = $1 AND "counter" = $2 AND ${NOT_LOCKED}`;

const CLEAR = `DELETE FROM "login_failures" WHERE "email_hash" = $1 AND "counter" = $2`;

const LOCKED_FOR = `
  SELECT max(ceil(extract(epoch FROM "locked_until" - now())))::integer AS "seconds"
  FROM "login_failures" WHERE "email_hash" = $1 AND "locked_until" > now()`;

const PURGE_STALE = `
  DELETE FROM "login_failures"
  WHERE "window_started_at" <= now() - $1::integer * interval '1 second' AND ${NOT_LOCKED}`;

/** Every this many failures, rows whose window and lock are over are deleted. */
const PURGE_EVERY = 500;

/**
 * The lockout counters, in PostgreSQL: the one store every instance always shares, so that the budget
 * is never doubled while an instance cannot reach Redis. An attempt is reserved before the secret is
 * judged and settled after, each step one atomic statement, so at most `threshold` attempts per
 * counter and window get a verdict however many arrive at once, on however many instances. All times
 * come from the database clock, so instances with skewed clocks still agree. Keys are digests of
 * normalised addresses. Call it outside any open transaction: on the embedded database a query beside
 * one waits for it.
 */
@Injectable()
export class LoginFailureRepository {
  private failuresSincePurge = 0;

  constructor(@InjectRepository(LoginFailure) private readonly failures: Repository<LoginFailure>) {}

  /** Seconds sign-in stays locked for the address (the longer of its counters' locks); 0 when it is not. */
  async lockedFor(key: string): Promise<number> {
    const rows = (await this.failures.query(LOCKED_FOR, [key])) as { seconds: number | null }[];
    return rows[0]?.seconds ?? 0;
  }

  /** Counts one attempt; refused while either counter is locked or while this one's budget is taken. */
  async reserve(key: string, counter: LockoutCounter, policy: LockoutPolicy): Promise<Reservation> {
    const granted = (await this.failures.query(RESERVE, [
      key,
      counter,
      policy.threshold,
      policy.windowSeconds,
    ])) as unknown[];
    if (granted.length > 0) return { granted: true };
    const lockedFor = await this.lockedFor(key);
    return { granted: false, retryAfterSeconds: lockedFor > 0 ? lockedFor : BUDGET_IN_USE_RETRY_SECONDS };
  }

  /** A wrong secret: counted, locking on the threshold-th; during a lock neither counted nor extending it. */
  async settleFailure(key: string, counter: LockoutCounter, policy: LockoutPolicy): Promise<FailureOutcome> {
    const rows = (await this.failures.query(SETTLE_FAILURE, [
      key,
      counter,
      policy.threshold,
      policy.windowSeconds,
      policy.durationSeconds,
    ])) as FailureOutcome[];
    await this.purgeNowAndThen(policy);
    return rows[0];
  }

  /** A completed sign-in: the failures of both counters are forgotten (a running lock is not). */
  async settleSuccess(key: string, counter: LockoutCounter): Promise<void> {
    const rows = (await this.failures.query(SETTLE_SUCCESS, [key, counter])) as { emptied: number }[];
    if ((rows[0]?.emptied ?? 0) > 0) await this.failures.query(DELETE_EMPTY, [key]);
  }

  /** Neither verdict (a database error, a right secret short of a sign-in): the reservation goes back. */
  async release(key: string, counter: LockoutCounter): Promise<void> {
    await this.failures.query(RELEASE, [key, counter]);
  }

  /** One counter's count and lock are gone. */
  async clear(key: string, counter: LockoutCounter): Promise<void> {
    await this.failures.query(CLEAR, [key, counter]);
  }

  private async purgeNowAndThen(policy: LockoutPolicy): Promise<void> {
    this.failuresSincePurge += 1;
    if (this.failuresSincePurge < PURGE_EVERY) return;
    this.failuresSincePurge = 0;
    await this.failures.query(PURGE_STALE, [policy.windowSeconds]);
  }
}
