import { AuditItem } from './audit-reader';

/** Who acted, as a user's own activity names anyone but the user: an administrator, never which one. */
export const ADMINISTRATOR = 'administrator';

export interface ActivityItem extends AuditItem {
  /** Present on rows another user (an administrator) wrote about the caller. */
  actor?: typeof ADMINISTRATOR;
}

/**
 * A row as its target sees it in GET /user/me/activity. Only administrators act on another account,
 * so a row whose actor is someone else is an administrator's: the user learns that one acted, never
 * the administrator's id, address, user agent or chosen request id.
 */
export function asOwnActivity(item: AuditItem, ownerId: string): ActivityItem {
  if (item.actorId === null || item.actorId === ownerId) return item;
  const { clientRequestId: _administratorsOwn, ...details } = item.details;
  return { ...item, actorId: null, actor: ADMINISTRATOR, ipAddress: null, userAgent: null, details };
}
