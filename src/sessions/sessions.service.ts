import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, IsNull, LessThanOrEqual, Not, Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { AuthConfig } from '../config/auth.config';
import { RequestClient } from '../logging/request-context';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The client a session is started for: the request's own (logging's RequestClient). */
export type ClientInfo = RequestClient;

export interface IssuedRefreshToken {
  session: Session;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** A session just ended, as its UPDATE returned it. */
type EndedSession = { id: string; user_id: string; impersonator_id: string | null };

/** `owner` is what the caller's lookup returned for the session's user (users/ sits above this module). */
export type RotationResult<Owner> =
  | ({ outcome: 'rotated'; owner: Owner } & IssuedRefreshToken)
  | { outcome: 'invalid' }
  | { outcome: 'reused'; session: Session };

/** The only code that writes sessions and refresh tokens. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** A new session for a login, with its first refresh token. */
  async start(userId: string, client: ClientInfo, manager?: EntityManager): Promise<IssuedRefreshToken> {
    const now = this.clock.now();
    const sessions = this.sessionsIn(manager);
    const session = await sessions.save(
      sessions.create({
        userId,
        lastUsedAt: now,
        authenticatedAt: now,
        ipAddress: client.ipAddress?.slice(0, 45) ?? null,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        expiresAt: new Date(now.getTime() + this.config.sessionMaxDays * DAY_MS),
        revokedAt: null,
        revokedReason: null,
      }),
    );
    return this.issueRefreshToken(session, now, this.refreshTokensIn(manager));
  }

  /**
   * An administrator's impersonation of the user: a session of its own, without a refresh token and
   * without the administrator's address or user agent (the user sees it listed), ending at `expiresAt`.
   */
  startImpersonation(userId: string, adminId: string, expiresAt: Date, manager: EntityManager): Promise<Session> {
    const sessions = manager.withRepository(this.sessions);
    // authenticatedAt at the epoch: the administrator never proved the user's identity (no recent proof).
    const proof = { lastUsedAt: this.clock.now(), authenticatedAt: new Date(0), revokedAt: null, revokedReason: null };
    return sessions.save(
      sessions.create({ userId, impersonatorId: adminId, ...proof, ipAddress: null, userAgent: null, expiresAt }),
    );
  }

  /**
   * Spends a refresh token and issues the next one. A token already spent means it was copied: the
   * whole session is revoked (committed, though the caller answers 401). `activeOwner` reads the
   * session's user in this transaction; null (a deactivated account) makes the token invalid.
   */
  rotate<Owner>(
    refreshToken: string,
    activeOwner: (userId: string, manager: EntityManager) => Promise<Owner | null>,
  ): Promise<RotationResult<Owner>> {
    return this.sessions.manager.transaction(async (manager) => {
      const now = this.clock.now();
      const refreshTokens = manager.withRepository(this.refreshTokens);
      const stored = await refreshTokens
        .createQueryBuilder('token')
        .innerJoinAndSelect('token.session', 'session')
        .where('token.tokenHash = :hash', { hash: hashOpaqueToken(refreshToken) })
        .setLock('pessimistic_write', undefined, ['token', 'session'])
        .getOne();
      if (!stored?.session || stored.expiresAt <= now) return { outcome: 'invalid' };
      const session = stored.session;
      if (session.revokedAt || session.expiresAt <= now) return { outcome: 'invalid' };
      if (stored.spentAt) {
        await this.revoke(session.id, 'refresh_reuse', manager);
        // Nobody proved who they are: someone holds a copy of a spent token.
        await this.audit.record(manager, {
          action: 'refresh.reuse_detected',
          outcome: 'failure',
          actorId: null,
          targetUserId: session.userId,
          details: { sessionId: session.id },
        });
        return { outcome: 'reused', session };
      }
      if (this.isIdle(session, now)) {
        // Ended for good, so a later refresh cannot find it live either.
        await this.revoke(session.id, 'idle_timeout', manager);
        return { outcome: 'invalid' };
      }
      const owner = await activeOwner(session.userId, manager);
      if (owner === null) return { outcome: 'invalid' };
      await refreshTokens.update({ id: stored.id }, { spentAt: now });
      await manager.withRepository(this.sessions).update({ id: session.id }, { lastUsedAt: now });
      return { outcome: 'rotated', owner, ...(await this.issueRefreshToken(session, now, refreshTokens)) };
    });
  }

  /** When the session's user last proved who they are; undefined for a session that is not live. */
  async authenticatedAt(sessionId: string): Promise<Date | undefined> {
    const session = await this.sessions.findOne({
      where: { id: sessionId, revokedAt: IsNull() },
      select: { id: true, authenticatedAt: true },
    });
    return session?.authenticatedAt;
  }

  /** A reauthentication: the user just proved who they are in this live session. False when it ended. */
  async markAuthenticated(sessionId: string, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .withRepository(this.sessions)
      .update({ id: sessionId, revokedAt: IsNull() }, { authenticatedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async sessionIdOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    const stored = await this.refreshTokens.findOneBy({ tokenHash: hashOpaqueToken(refreshToken) });
    return stored?.sessionId;
  }

  /** Logout: ends the session and records it, together (an impersonation's logout is its administrator's). */
  logout(sessionId: string): Promise<boolean> {
    return this.sessions.manager.transaction(async (manager) => {
      const [ended] = await this.end(manager, { id: sessionId }, 'logout');
      if (!ended) return false;
      const admin = ended.impersonator_id;
      await this.audit.record(manager, {
        action: 'logout',
        actorId: admin ?? ended.user_id,
        targetUserId: ended.user_id,
        details: { sessionId, ...(admin ? { impersonation: true } : {}) },
      });
      return true;
    });
  }

  async revoke(sessionId: string, reason: string, manager?: EntityManager): Promise<boolean> {
    return (await this.end(manager, { id: sessionId }, reason)).length > 0;
  }

  /** Revokes one of the user's own live sessions, recorded together; false when it is not theirs or already ended. */
  revokeOwned(userId: string, sessionId: string): Promise<boolean> {
    return this.sessions.manager.transaction(async (manager) => {
      if ((await this.end(manager, { id: sessionId, userId }, 'user_revoked')).length === 0) return false;
      await this.audit.record(manager, {
        action: 'session.revoked',
        actorId: userId,
        targetUserId: userId,
        details: { sessionId },
      });
      return true;
    });
  }

  /** A second factor or passkey changed: every session of the user but the caller's ends. */
  async revokeOthers(userId: string, keepSessionId: string, reason: string, manager?: EntityManager): Promise<void> {
    await this.end(manager, { userId, id: Not(keepSessionId) }, reason);
  }

  /** Every session of the user ends, and every impersonation the user (an admin) is making, for good. */
  async revokeAllForUser(userId: string, reason: string, manager?: EntityManager): Promise<void> {
    await this.end(manager, [{ userId }, { impersonatorId: userId }], reason);
  }

  /** An admin demoted: the impersonations they are making end for good (not only while demoted). */
  async endImpersonationsBy(adminId: string, reason: string, manager: EntityManager): Promise<void> {
    await this.end(manager, { impersonatorId: adminId }, reason);
  }

  /** Retention: impersonation sessions past their end are ended and recorded (`reason: "expired"`), once. */
  endExpiredImpersonations(): Promise<number> {
    return this.sessions.manager.transaction(async (manager) => {
      const where = { impersonatorId: Not(IsNull()), expiresAt: LessThanOrEqual(this.clock.now()) };
      return (await this.end(manager, where, 'expired')).length;
    });
  }

  /** The user's sessions that can still be used, newest first. */
  listLive(userId: string): Promise<Session[]> {
    return this.sessions
      .createQueryBuilder('session')
      .where('session.user_id = :userId', { userId })
      .andWhere('session.revoked_at IS NULL')
      .andWhere('session.expires_at > :now', { now: this.clock.now() })
      .andWhere('session.last_used_at > :idleSince', { idleSince: this.idleSince(this.clock.now()) })
      .orderBy('session.created_at', 'DESC')
      .getMany();
  }

  /**
   * Retention: refresh tokens past their expiry can no longer be reused (so need not be recognised),
   * and sessions that ended more than `keepEndedDays` ago go with their tokens.
   */
  async purgeEnded(keepEndedDays: number): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - keepEndedDays * DAY_MS);
    await this.refreshTokens.createQueryBuilder().delete().where('expires_at < :now', { now }).execute();
    const ended = await this.sessions
      .createQueryBuilder()
      .delete()
      .where('COALESCE(revoked_at, expires_at) < :cutoff', { cutoff })
      .execute();
    return ended.affected ?? 0;
  }

  /** SESSION_IDLE_MINUTES: a session last refreshed at or before this time has gone idle (epoch when off). */
  private idleSince(now: Date): Date {
    const minutes = this.config.sessionIdleMinutes;
    return minutes > 0 ? new Date(now.getTime() - minutes * MINUTE_MS) : new Date(0);
  }

  private isIdle(session: Session, now: Date): boolean {
    return this.config.sessionIdleMinutes > 0 && session.lastUsedAt <= this.idleSince(now);
  }

  /**
   * Every way a live session ends goes through here: an impersonation session's end is recorded as
   * `admin.impersonation_ended` (the administrator's act ended, whoever ended it), with the same reason,
   * in the caller's transaction when there is one.
   */
  private async end(
    manager: EntityManager | undefined,
    where: FindOptionsWhere<Session> | FindOptionsWhere<Session>[],
    reason: string,
  ): Promise<EndedSession[]> {
    const live = (Array.isArray(where) ? where : [where]).map((one) => ({ ...one, revokedAt: IsNull() }));
    const runner = manager ?? this.sessions.manager;
    const result = await runner
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: this.clock.now(), revokedReason: reason })
      .where(live)
      .returning('id, user_id, impersonator_id')
      .execute();
    const ended = result.raw as EndedSession[];
    for (const session of ended) {
      if (session.impersonator_id === null) continue;
      await this.audit.record(runner, {
        action: 'admin.impersonation_ended',
        actorId: session.impersonator_id,
        targetUserId: session.user_id,
        details: { sessionId: session.id, reason },
      });
    }
    return ended;
  }

  /** The repository bound to the caller's transaction when there is one: never the pool beside it. */
  private sessionsIn(manager?: EntityManager): Repository<Session> {
    return manager ? manager.withRepository(this.sessions) : this.sessions;
  }

  private refreshTokensIn(manager?: EntityManager): Repository<RefreshToken> {
    return manager ? manager.withRepository(this.refreshTokens) : this.refreshTokens;
  }

  private async issueRefreshToken(
    session: Session,
    now: Date,
    refreshTokens: Repository<RefreshToken>,
  ): Promise<IssuedRefreshToken> {
    const refreshToken = newOpaqueToken();
    const lifetimeEnd = now.getTime() + this.config.refreshTokenExpireDays * DAY_MS;
    const refreshExpiresAt = new Date(Math.min(lifetimeEnd, session.expiresAt.getTime()));
    await refreshTokens.insert({
      sessionId: session.id,
      tokenHash: hashOpaqueToken(refreshToken),
      expiresAt: refreshExpiresAt,
      spentAt: null,
    });
    return { session, refreshToken, refreshExpiresAt };
  }
}
