import { ProblemException } from '../common/problem-details/problem.exception';
import { AuditCursor, decodeAuditCursor } from './audit-cursor';

/** A cursor that does not decode is the client's mistake: 400 naming the field, before any query. */
export function cursorOf(text: string | undefined): AuditCursor | undefined {
  if (text === undefined) return undefined;
  const cursor = decodeAuditCursor(text);
  if (!cursor)
    throw new ProblemException(400, 'cursor is invalid', [{ field: 'cursor', message: 'cursor is invalid' }]);
  return cursor;
}
