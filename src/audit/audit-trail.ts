import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { requestContext } from '../logging/request-context';
import { AuditAction, AuditOutcome } from './audit-actions';
import { AuditDetails, cleanDetails } from './audit-details';
import { AuditEvent } from './entities/audit-event.entity';

export interface AuditEntry {
  action: AuditAction;
  /** Default 'success'; recordFailure sets 'failure'. */
  outcome?: AuditOutcome;
  /** The user who acted (signed in, or just proved who they are); null when nobody did. */
  actorId: string | null;
  /** The account concerned; null when there is none (a failed login for an unknown email). */
  targetUserId: string | null;
  /** Defaults to the current request's client (address, user agent). */
  client?: { ipAddress?: string; userAgent?: string };
  /** Only the keys of AUDIT_DETAIL_KEYS (tsc refuses any other): never a password, token, code or hash. */
  details?: AuditDetails;
}

/**
 * The audit trail's writer. A change and its row commit or roll back together: callers pass their
 * transaction's EntityManager to record(). An attempt that changes nothing (a wrong password) is
 * recorded by recordFailure() in a statement of its own. The request id comes from the request
 * context: the service's own id of the request, never one a client chose (any client may send any
 * X-Request-Id, so such ids collide); a client's X-Request-Id is kept apart as details.clientRequestId.
 */
@Injectable()
export class AuditTrail {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {}

  /** Inside the caller's transaction. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.withRepository(this.events).insert(this.row(entry));
  }

  /**
   * A failed attempt, in a statement of its own; with `lockStarted` (the lockout's verdict on this very
   * failure started a lock), its `account.locked` row commits in the same statement, naming the address
   * when one is given. Every refused proof (sign-in steps and the account routes' passwords and codes)
   * is recorded through here.
   */
  async recordFailure(entry: AuditEntry, lockStarted?: Pick<AuditDetails, 'email'>): Promise<void> {
    const failed = this.row({ ...entry, outcome: 'failure' });
    if (!lockStarted) return void (await this.events.insert(failed));
    const email = lockStarted.email;
    const locked = { action: 'account.locked', actorId: null, targetUserId: entry.targetUserId } as const;
    await this.events.insert([failed, this.row(email ? { ...locked, details: { email } } : locked)]);
  }

  /**
   * While an administrator impersonates a user, what the request does in the user's name is the
   * administrator's act: the row names them as actor and says `details.impersonation: true`.
   */
  private row(entry: AuditEntry): Omit<AuditEvent, 'id'> {
    const context = requestContext.getStore();
    const client = entry.client ?? context?.client?.() ?? {};
    const impersonation = context?.impersonation;
    return {
      occurredAt: this.clock.now(),
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      actorId: impersonation && entry.actorId === impersonation.userId ? impersonation.adminId : entry.actorId,
      targetUserId: entry.targetUserId,
      ipAddress: client.ipAddress?.slice(0, 45) ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      requestId: context?.serviceRequestId ?? null,
      details: cleanDetails({
        ...entry.details,
        ...(context?.clientRequestId ? { clientRequestId: context.clientRequestId } : {}),
        ...(impersonation ? { impersonation: true } : {}),
      }),
    };
  }
}
