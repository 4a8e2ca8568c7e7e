/**
 * The keyset position after a row: its occurred_at at the database's full (microsecond) precision
 * and its id. Opaque to clients (base64url); anything that does not decode to exactly this is refused.
 */
export interface AuditCursor {
  /** ISO 8601 UTC with up to six fractional digits, as PostgreSQL stores it. */
  occurredAt: string;
  id: string;
}

const VERSION = 'a1';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${VERSION}|${cursor.occurredAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** undefined when the text is not a cursor this service issued (the caller answers 400). */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, occurredAt, id] = parts;
  if (!TIMESTAMP.test(occurredAt) || !UUID.test(id)) return undefined;
  // A calendar date that does not exist (Feb 30) parses as another day in JavaScript: refused too.
  const parsed = new Date(occurredAt);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== occurredAt.slice(0, 19)) return undefined;
  // JavaScript reads year 0000; PostgreSQL has no year 0 (1 BC comes before 1 AD) and would fail the query.
  if (occurredAt.startsWith('0000')) return undefined;
  return { occurredAt, id };
}
