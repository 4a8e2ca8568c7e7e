import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { AuthConfig } from '../config/auth.config';
import { RequestClient } from '../logging/request-context';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token';
import { Session } from './entities/session.entity';
import { RefreshTokenRepository } from './refresh-token.repository';
import { EndedSession, SessionRepository } from './session.repository';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The client a session is started for: the request's own (logging's RequestClient). */
export type ClientInfo = RequestClient;

export interface IssuedRefreshToken {
  session: Session;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** `owner` is what the caller's lookup returned for the session's user (users/ sits above this module). */
export type RotationResult<Owner> =
  | ({ outcome: 'rotated'; owner: Owner } & IssuedRefreshToken)
  | { outcome: 'invalid' }
  | { outcome: 'reused'; session: Session };

/**
 * The sessions' lifecycle: when one starts, rotates, goes idle or ends, and what is recorded with it
 * (SessionRepository and RefreshTokenRepository write the rows).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** A new session for a login, with its first refresh token. */
  async start(userId: string, client: ClientInfo, manager?: EntityManager): Promise<IssuedRefreshToken> {
    const now = this.clock.now();
    const session = await this.sessions.insert(
      {
        userId,
        lastUsedAt: now,
        authenticatedAt: now,
        ipAddress: client.ipAddress?.slice(0, 45) ?? null,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        expiresAt: new Date(now.getTime() + this.config.sessionMaxDays * DAY_MS),
        revokedAt: null,
        revokedReason: null,
      },
      manager,
    );
    return this.issueRefreshToken(session, now, manager);
  }

  /**
   * An administrator's impersonation of the user: a session of its own, without a refresh token and
   * without the administrator's address or user agent (the user sees it listed), ending at `expiresAt`.
   */
  startImpersonation(userId: string, adminId: string, expiresAt: Date, manager: EntityManager): Promise<Session> {
    // authenticatedAt at the epoch: the administrator never proved the user's identity (no recent proof).
    const proof = { lastUsedAt: this.clock.now(), authenticatedAt: new Date(0), revokedAt: null, revokedReason: null };
    return this.sessions.insert(
      { userId, impersonatorId: adminId, ...proof, ipAddress: null, userAgent: null, expiresAt },
      manager,
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
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const stored = await this.sessions.lockRefreshToken(hashOpaqueToken(refreshToken), manager);
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
      await this.refreshTokens.markSpent(stored.id, now, manager);
      await this.sessions.markUsed(session.id, now, manager);
      return { outcome: 'rotated', owner, ...(await this.issueRefreshToken(session, now, manager)) };
    });
  }

  /** When the session's user last proved who they are; undefined for a session that is not live. */
  authenticatedAt(sessionId: string): Promise<Date | undefined> {
    return this.sessions.authenticatedAt(sessionId);
  }

  /** A reauthentication: the user just proved who they are in this live session. False when it ended. */
  markAuthenticated(sessionId: string, at: Date, manager: EntityManager): Promise<boolean> {
    return this.sessions.markAuthenticated(sessionId, at, manager);
  }

  async sessionIdOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    const stored = await this.refreshTokens.findByHash(hashOpaqueToken(refreshToken));
    return stored?.sessionId;
  }

  /** Logout: ends the session and records it, together (an impersonation's logout is its administrator's). */
  logout(sessionId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
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
    return this.dataSource.transaction(async (manager) => {
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
    return this.dataSource.transaction(async (manager) => {
      const where = { impersonatorId: Not(IsNull()), expiresAt: LessThanOrEqual(this.clock.now()) };
      return (await this.end(manager, where, 'expired')).length;
    });
  }

  /** The user's sessions that can still be used, newest first. */
  listLive(userId: string): Promise<Session[]> {
    const now = this.clock.now();
    return this.sessions.listLive(userId, now, this.idleSince(now));
  }

  /**
   * Retention: refresh tokens past their expiry can no longer be reused (so need not be recognised),
   * and sessions that ended more than `keepEndedDays` ago go with their tokens.
   */
  async purgeEnded(keepEndedDays: number): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - keepEndedDays * DAY_MS);
    await this.refreshTokens.purgeExpired(now);
    return this.sessions.purgeEndedBefore(cutoff);
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
    const ended = await this.sessions.end(where, reason, this.clock.now(), manager);
    const runner = manager ?? this.dataSource.manager;
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

  private async issueRefreshToken(session: Session, now: Date, manager?: EntityManager): Promise<IssuedRefreshToken> {
    const refreshToken = newOpaqueToken();
    const lifetimeEnd = now.getTime() + this.config.refreshTokenExpireDays * DAY_MS;
    const refreshExpiresAt = new Date(Math.min(lifetimeEnd, session.expiresAt.getTime()));
    await this.refreshTokens.insert(
      { sessionId: session.id, tokenHash: hashOpaqueToken(refreshToken), expiresAt: refreshExpiresAt },
      manager,
    );
    return { session, refreshToken, refreshExpiresAt };
  }
}
