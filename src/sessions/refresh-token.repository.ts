import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';

/** What a new refresh token row holds: the token itself is never stored, only its hash. */
export type NewRefreshToken = Pick<RefreshToken, 'sessionId' | 'tokenHash' | 'expiresAt'>;

/**
 * The refresh_tokens table's queries, and its one writer (SessionsService decides when). A method given
 * an EntityManager runs in that caller's transaction.
 */
@Injectable()
export class RefreshTokenRepository {
  constructor(@InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>) {}

  private in(manager?: EntityManager): Repository<RefreshToken> {
    return manager ? manager.withRepository(this.tokens) : this.tokens;
  }

  async insert(token: NewRefreshToken, manager?: EntityManager): Promise<void> {
    await this.in(manager).insert({ ...token, spentAt: null });
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  /** Spent, the token is kept until it would have expired: presented again, it is recognised as reuse. */
  async markSpent(tokenId: string, at: Date, manager: EntityManager): Promise<void> {
    await this.in(manager).update({ id: tokenId }, { spentAt: at });
  }

  /** Tokens past their expiry can no longer be reused, so need not be recognised: deleted. */
  async purgeExpired(now: Date): Promise<number> {
    const result = await this.tokens.createQueryBuilder().delete().where('expires_at < :now', { now }).execute();
    return result.affected ?? 0;
  }
}
