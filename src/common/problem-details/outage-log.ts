/**
 * Told whenever a dependency (the database) is found unreachable, so that an outage is logged as one
 * WARNING when it begins and one when it ends, never a line (or a stack) per refused request. Declared
 * here, where errors become answers; provided by the database layer, which can tell when it ends.
 */
export abstract class OutageLog {
  /** A request was answered 503 because of the outage: counted, and the outage's first line if none yet. */
  abstract refused(cause: unknown): void;

  /** Background work (the mail outbox) found the dependency down: the outage's first line if none yet. */
  abstract noticed(cause: unknown): void;
}
