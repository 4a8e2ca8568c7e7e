import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';

/** A session just ended, as its UPDATE returned it. */
export type EndedSession = { id: string; user_id: string; impersonator_id: string | null };

/** What a new session row holds (its id and creation time come from the database). */
export type NewSession = Pick<
  Session,
  'userId' | 'lastUsedAt' | 'authenticatedAt' | 'ipAddress' | 'userAgent' | 'expiresAt' | 'revokedAt' | 'revokedReason'
> &
  Partial<Pick<Session, 'impersonatorId'>>;

/**
 * The sessions table's queries, and its one writer (SessionsService decides when). A method given an
 * EntityManager runs in that caller's transaction (on the embedded database's one connection, a query
 * outside it would wait forever).
 */
@Injectable()
export class SessionRepository {
  constructor(@InjectRepository(Session) private readonly sessions: Repository<Session>) {}

  private in(manager?: EntityManager): Repository<Session> {
    return manager ? manager.withRepository(this.sessions) : this.sessions;
  }

  /** A login's session or an administrator's impersonation, saved. */
  insert(fields: NewSession, manager?: EntityManager): Promise<Session> {
    const sessions = this.in(manager);
    return sessions.save(sessions.create(fields));
  }

  /**
   * The refresh token of this hash with its session, both rows locked until the transaction ends: a
   * concurrent rotation of the same token waits, then finds it spent.
   */
  lockRefreshToken(tokenHash: string, manager: EntityManager): Promise<RefreshToken | null> {
    return manager
      .createQueryBuilder(RefreshToken, 'token')
      .innerJoinAndSelect('token.session', 'session')
      .where('token.tokenHash = :hash', { hash: tokenHash })
      .setLock('pessimistic_write', undefined, ['token', 'session'])
      .getOne();
  }

  /** The session was just refreshed. */
  async markUsed(sessionId: string, at: Date, manager: EntityManager): Promise<void> {
    await this.in(manager).update({ id: sessionId }, { lastUsedAt: at });
  }

  /** When the session's user last proved who they are; undefined for a session that has ended. */
  async authenticatedAt(sessionId: string): Promise<Date | undefined> {
    const session = await this.sessions.findOne({
      where: { id: sessionId, revokedAt: IsNull() },
      select: { id: true, authenticatedAt: true },
    });
    return session?.authenticatedAt;
  }

  /** The user proved who they are in this session at `at`; false when it has ended. */
  async markAuthenticated(sessionId: string, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await this.in(manager).update({ id: sessionId, revokedAt: IsNull() }, { authenticatedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Ends the live sessions matching `where` (any of a list) at `at`, and returns them. */
  async end(
    where: FindOptionsWhere<Session> | FindOptionsWhere<Session>[],
    reason: string,
    at: Date,
    manager?: EntityManager,
  ): Promise<EndedSession[]> {
    const live = (Array.isArray(where) ? where : [where]).map((one) => ({ ...one, revokedAt: IsNull() }));
    const result = await (manager ?? this.sessions.manager)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at, revokedReason: reason })
      .where(live)
      .returning('id, user_id, impersonator_id')
      .execute();
    return result.raw as EndedSession[];
  }

  /** The user's sessions not ended, not expired at `now` and used after `idleSince`, newest first. */
  listLive(userId: string, now: Date, idleSince: Date): Promise<Session[]> {
    return this.sessions
      .createQueryBuilder('session')
      .where('session.user_id = :userId', { userId })
      .andWhere('session.revoked_at IS NULL')
      .andWhere('session.expires_at > :now', { now })
      .andWhere('session.last_used_at > :idleSince', { idleSince })
      .orderBy('session.created_at', 'DESC')
      .getMany();
  }

  /** Deletes the sessions that ended (revoked, else expired) before `cutoff`, their tokens by cascade. */
  async purgeEndedBefore(cutoff: Date): Promise<number> {
    const ended = await this.sessions
      .createQueryBuilder()
      .delete()
      .where('COALESCE(revoked_at, expires_at) < :cutoff', { cutoff })
      .execute();
    return ended.affected ?? 0;
  }
}
