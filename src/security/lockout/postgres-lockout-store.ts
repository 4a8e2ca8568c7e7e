import { Repository } from 'typeorm';
import { LoginFailure } from './entities/login-failure.entity';
import { BUDGET_IN_USE_RETRY_SECONDS, FailureOutcome, LockoutPolicy, LockoutStore, Reservation } from './lockout-store';

// $1 email hash, $2 threshold, $3 window seconds, $4 duration seconds; f is the existing row.
const LOCKED = `f."locked_until" > now()`;
/** A lock that ran out, or a window that ended, starts the count again. */
const STARTS_AGAIN = `(f."locked_until" IS NOT NULL OR f."window_started_at" <= now() - $3::integer * interval '1 second')`;
const NOT_LOCKED = `("locked_until" IS NULL OR "locked_until" <= now())`;

/**
 * One upsert: its WHERE leaves the row alone (and returns nothing) while locked or while the budget
 * is taken, so concurrent reservations on any instance never grant more than the threshold.
 */
const RESERVE = `
  INSERT INTO "login_failures" AS f ("email_hash", "attempt_count", "failure_count", "window_started_at")
  VALUES ($1, 1, 0, now())
  ON CONFLICT ("email_hash") DO UPDATE SET
    "attempt_count" = CASE WHEN ${STARTS_AGAIN} THEN 1 ELSE f."attempt_count" + 1 END,
    "failure_count" = CASE WHEN ${STARTS_AGAIN} THEN 0 ELSE f."failure_count" END,
    "window_started_at" = CASE WHEN ${STARTS_AGAIN} THEN now() ELSE f."window_started_at" END,
    "locked_until" = NULL
  WHERE (f."locked_until" IS NULL OR NOT ${LOCKED}) AND (${STARTS_AGAIN} OR f."attempt_count" < $2::integer)
  RETURNING 1`;

const NEXT_COUNT = `CASE WHEN ${STARTS_AGAIN} THEN 1 ELSE f."failure_count" + 1 END`;
const LOCK_END = `now() + $4::integer * interval '1 second'`;

/**
 * One upsert per failure (the row exists unless a reset cleared it meanwhile). now() is fixed for
 * the statement, so a locked_until equal to now() + duration means this very statement started the lock.
 */
const SETTLE_FAILURE = `
  INSERT INTO "login_failures" AS f ("email_hash", "attempt_count", "failure_count", "window_started_at", "locked_until")
  VALUES ($1, 1, 1, now(), CASE WHEN $2::integer <= 1 THEN ${LOCK_END} END)
  ON CONFLICT ("email_hash") DO UPDATE SET
    "failure_count" = CASE WHEN ${LOCKED} THEN f."failure_count" ELSE ${NEXT_COUNT} END,
    "attempt_count" = CASE WHEN ${LOCKED} THEN f."attempt_count" WHEN ${STARTS_AGAIN} THEN 1
                      ELSE greatest(f."attempt_count", f."failure_count" + 1) END,
    "window_started_at" = CASE WHEN ${LOCKED} THEN f."window_started_at" WHEN ${STARTS_AGAIN} THEN now()
                          ELSE f."window_started_at" END,
    "locked_until" = CASE WHEN ${LOCKED} THEN f."locked_until" WHEN ${NEXT_COUNT} >= $2::integer THEN ${LOCK_END} END
  RETURNING
    coalesce(ceil(extract(epoch FROM "locked_until" - now())), 0)::integer AS "lockedForSeconds",
    coalesce("locked_until" = ${LOCK_END}, false) AS "lockStarted"`;

/** Failures are forgotten; reservations of other clients still being judged stay counted. */
const SETTLE_SUCCESS = `
  WITH settled AS (
    UPDATE "login_failures"
    SET "attempt_count" = greatest("attempt_count" - "failure_count" - 1, 0), "failure_count" = 0
    WHERE "email_hash" = $1 AND ${NOT_LOCKED}
    RETURNING "attempt_count")
  SELECT "attempt_count" AS "attempts" FROM settled`;

/** Deleted only while still empty: a reservation made since keeps the row. */
const DELETE_EMPTY = `
  DELETE FROM "login_failures" WHERE "email_hash" = $1 AND "attempt_count" = 0 AND ${NOT_LOCKED}`;

const RELEASE = `
  UPDATE "login_failures" SET "attempt_count" = greatest("attempt_count" - 1, "failure_count")
  WHERE "email_hash" = $1 AND ${NOT_LOCKED}`;

const CLEAR = `DELETE FROM "login_failures" WHERE "email_hash" = $1`;

const LOCKED_FOR = `
  SELECT ceil(extract(epoch FROM "locked_until" - now()))::integer AS "seconds"
  FROM "login_failures" WHERE "email_hash" = $1 AND "locked_until" > now()`;

const PURGE_STALE = `
  DELETE FROM "login_failures"
  WHERE "window_started_at" <= now() - $1::integer * interval '1 second' AND ${NOT_LOCKED}`;

/** Every this many failures, rows whose window and lock are over are deleted. */
const PURGE_EVERY = 500;

/**
 * Counters in PostgreSQL when Redis is not configured, shared by every instance on the database.
 * All times come from the database clock, so instances with skewed clocks still agree.
 * Call it outside any open transaction: on the embedded database a query beside one waits for it.
 */
export class PostgresLockoutStore implements LockoutStore {
  private failuresSincePurge = 0;

  constructor(private readonly failures: Repository<LoginFailure>) {}

  async lockedFor(key: string): Promise<number> {
    const rows = (await this.failures.query(LOCKED_FOR, [key])) as { seconds: number }[];
    return rows[0]?.seconds ?? 0;
  }

  async reserve(key: string, policy: LockoutPolicy): Promise<Reservation> {
    const granted = (await this.failures.query(RESERVE, [key, policy.threshold, policy.windowSeconds])) as unknown[];
    if (granted.length > 0) return { granted: true };
    const lockedFor = await this.lockedFor(key);
    return { granted: false, retryAfterSeconds: lockedFor > 0 ? lockedFor : BUDGET_IN_USE_RETRY_SECONDS };
  }

  async settleFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    const rows = (await this.failures.query(SETTLE_FAILURE, [
      key,
      policy.threshold,
      policy.windowSeconds,
      policy.durationSeconds,
    ])) as FailureOutcome[];
    await this.purgeNowAndThen(policy);
    return rows[0];
  }

  async settleSuccess(key: string): Promise<void> {
    const rows = (await this.failures.query(SETTLE_SUCCESS, [key])) as { attempts: number }[];
    if (rows[0]?.attempts === 0) await this.failures.query(DELETE_EMPTY, [key]);
  }

  async release(key: string): Promise<void> {
    await this.failures.query(RELEASE, [key]);
  }

  async clear(key: string): Promise<void> {
    await this.failures.query(CLEAR, [key]);
  }

  private async purgeNowAndThen(policy: LockoutPolicy): Promise<void> {
    this.failuresSincePurge += 1;
    if (this.failuresSincePurge < PURGE_EVERY) return;
    this.failuresSincePurge = 0;
    await this.failures.query(PURGE_STALE, [policy.windowSeconds]);
  }
}
