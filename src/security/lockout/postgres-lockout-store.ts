import { DataSource } from 'typeorm';
import { FailureOutcome, LockoutPolicy, LockoutStore } from './lockout-store';

// $1 email hash, $2 threshold, $3 window seconds, $4 duration seconds; f is the existing row.
const LOCKED = `f."locked_until" > now()`;
/** A lock that ran out, or a window that ended, starts the count again. */
const STARTS_AGAIN = `(f."locked_until" IS NOT NULL OR f."window_started_at" <= now() - $3::integer * interval '1 second')`;
const NEXT_COUNT = `CASE WHEN ${LOCKED} THEN f."failure_count" WHEN ${STARTS_AGAIN} THEN 1 ELSE f."failure_count" + 1 END`;
const LOCK_END = `now() + $4::integer * interval '1 second'`;

/**
 * One upsert, so that concurrent failures on any instance are all counted. now() is fixed for the
 * statement, so a locked_until equal to now() + duration means this very statement started the lock.
 */
const RECORD_FAILURE = `
  INSERT INTO "login_failures" AS f ("email_hash", "failure_count", "window_started_at", "locked_until")
  VALUES ($1, 1, now(), CASE WHEN $2::integer <= 1 THEN ${LOCK_END} END)
  ON CONFLICT ("email_hash") DO UPDATE SET
    "failure_count" = ${NEXT_COUNT},
    "window_started_at" = CASE WHEN ${LOCKED} THEN f."window_started_at" WHEN ${STARTS_AGAIN} THEN now()
                          ELSE f."window_started_at" END,
    "locked_until" = CASE WHEN ${LOCKED} THEN f."locked_until" WHEN ${NEXT_COUNT} >= $2::integer THEN ${LOCK_END} END
  RETURNING
    coalesce(ceil(extract(epoch FROM "locked_until" - now())), 0)::integer AS "lockedForSeconds",
    coalesce("locked_until" = ${LOCK_END}, false) AS "lockStarted"`;

const LOCKED_FOR = `
  SELECT ceil(extract(epoch FROM "locked_until" - now()))::integer AS "seconds"
  FROM "login_failures" WHERE "email_hash" = $1 AND "locked_until" > now()`;

/** A success clears the count; a running lock stays (a login cannot succeed during one anyway). */
const RESET = `
  DELETE FROM "login_failures" WHERE "email_hash" = $1 AND ("locked_until" IS NULL OR "locked_until" <= now())`;

const PURGE_STALE = `
  DELETE FROM "login_failures"
  WHERE "window_started_at" <= now() - $1::integer * interval '1 second'
    AND ("locked_until" IS NULL OR "locked_until" <= now())`;

/** Every this many failures, rows whose window and lock are over are deleted. */
const PURGE_EVERY = 500;

/**
 * Counters in PostgreSQL when Redis is not configured, shared by every instance on the database.
 * All times come from the database clock, so instances with skewed clocks still agree.
 * Call it outside any open transaction: on the embedded database a query beside one waits for it.
 */
export class PostgresLockoutStore implements LockoutStore {
  private failuresSincePurge = 0;

  constructor(private readonly dataSource: DataSource) {}

  async lockedFor(key: string): Promise<number> {
    const rows = (await this.dataSource.query(LOCKED_FOR, [key])) as { seconds: number }[];
    return rows[0]?.seconds ?? 0;
  }

  async recordFailure(key: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    const rows = (await this.dataSource.query(RECORD_FAILURE, [
      key,
      policy.threshold,
      policy.windowSeconds,
      policy.durationSeconds,
    ])) as FailureOutcome[];
    await this.purgeNowAndThen(policy);
    return rows[0];
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query(RESET, [key]);
  }

  private async purgeNowAndThen(policy: LockoutPolicy): Promise<void> {
    this.failuresSincePurge += 1;
    if (this.failuresSincePurge < PURGE_EVERY) return;
    this.failuresSincePurge = 0;
    await this.dataSource.query(PURGE_STALE, [policy.windowSeconds]);
  }
}
