import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { User } from '../../users/entities/user.entity';
import { userFromRow, UserRow } from '../../users/entities/user-row';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';

const DAY_MS = 86_400_000;

const ACCESS_CHECK_SQL = `
  SELECT u.id, u.email, u.first_name, u.last_name, u.password_hash, u.role, u.is_active,
         u.email_verified_at, u.token_version, u.last_login_at, u.created_at, u.updated_at
    FROM users u
    JOIN sessions s ON s.user_id = u.id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
     AND s.revoked_at IS NULL AND s.expires_at > $4`;

export interface ClientInfo {
  ipAddress?: string;
  userAgent?: string;
}

export interface IssuedRefreshToken {
  session: Session;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export type RotationResult =
  | ({ outcome: 'rotated'; user: User } & IssuedRefreshToken)
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
  ) {}

  /** A new session for a login, with its first refresh token. */
  async start(userId: string, client: ClientInfo, manager?: EntityManager): Promise<IssuedRefreshToken> {
    const now = this.clock.now();
    const sessions = this.sessionsIn(manager);
    const session = await sessions.save(
      sessions.create({
        userId,
        lastUsedAt: now,
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
   * Spends a refresh token and issues the next one. A token already spent means it was copied: the
   * whole session is revoked (committed, though the caller answers 401).
   */
  rotate(refreshToken: string): Promise<RotationResult> {
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
        return { outcome: 'reused', session };
      }
      const user = await manager.findOneBy(User, { id: session.userId });
      if (!user?.isActive) return { outcome: 'invalid' };
      await refreshTokens.update({ id: stored.id }, { spentAt: now });
      await manager.withRepository(this.sessions).update({ id: session.id }, { lastUsedAt: now });
      return { outcome: 'rotated', user, ...(await this.issueRefreshToken(session, now, refreshTokens)) };
    });
  }

  /**
   * The hot path: one round trip that accepts an access token only if its user exists and is active,
   * its version is current, and its session is neither revoked nor expired. Plain SQL: the query
   * builder's per-call SQL generation cost more than the query itself.
   */
  async validateAccess(userId: string, sessionId: string, tokenVersion: number): Promise<User | null> {
    const rows = (await this.sessions.query(ACCESS_CHECK_SQL, [
      userId,
      sessionId,
      tokenVersion,
      this.clock.now(),
    ])) as UserRow[];
    return rows.length > 0 ? userFromRow(rows[0]) : null;
  }

  async sessionIdOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    const stored = await this.refreshTokens.findOneBy({ tokenHash: hashOpaqueToken(refreshToken) });
    return stored?.sessionId;
  }

  async revoke(sessionId: string, reason: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.sessionsIn(manager).update(
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokedReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Revokes one of the user's own live sessions; false when it is not theirs or already ended. */
  async revokeOwned(userId: string, sessionId: string): Promise<boolean> {
    const result = await this.sessions.update(
      { id: sessionId, userId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokedReason: 'user_revoked' },
    );
    return (result.affected ?? 0) > 0;
  }

  async revokeAllForUser(userId: string, reason: string, manager?: EntityManager): Promise<void> {
    await this.sessionsIn(manager).update(
      { userId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokedReason: reason },
    );
  }

  /** The user's sessions that can still be used, newest first. */
  listLive(userId: string): Promise<Session[]> {
    return this.sessions
      .createQueryBuilder('session')
      .where('session.user_id = :userId', { userId })
      .andWhere('session.revoked_at IS NULL')
      .andWhere('session.expires_at > :now', { now: this.clock.now() })
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
