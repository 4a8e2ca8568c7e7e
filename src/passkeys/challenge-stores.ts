import { Repository } from 'typeorm';
import { RedisClient } from '../security/redis/redis-client';
import { ChallengePurpose, WebauthnChallenge } from './entities/webauthn-challenge.entity';

/** What a stored challenge was bound to, and until when it may be used. */
export interface StoredChallenge {
  userId: string | null;
  expiresAt: Date;
}

/**
 * Where challenges live. `take` is the single use: it removes the challenge and returns it in one
 * atomic step, so of two requests racing with one challenge only one gets it. A registration
 * challenge is taken only with the user it is bound to (`boundTo`); another user's attempt leaves it.
 */
export interface ChallengeStore {
  put(challenge: string, purpose: ChallengePurpose, stored: StoredChallenge): Promise<void>;
  take(challenge: string, purpose: ChallengePurpose, boundTo?: string): Promise<StoredChallenge | undefined>;
}

/** PostgreSQL: DELETE … RETURNING. Expired rows are swept now and then by whoever issues. */
export class PostgresChallengeStore implements ChallengeStore {
  constructor(private readonly challenges: Repository<WebauthnChallenge>) {}

  async put(challenge: string, purpose: ChallengePurpose, stored: StoredChallenge): Promise<void> {
    await this.challenges.insert({ challenge, purpose, userId: stored.userId, expiresAt: stored.expiresAt });
  }

  async take(challenge: string, purpose: ChallengePurpose, boundTo?: string): Promise<StoredChallenge | undefined> {
    const query = this.challenges
      .createQueryBuilder()
      .delete()
      .where('challenge = :challenge AND purpose = :purpose', { challenge, purpose });
    if (boundTo !== undefined) query.andWhere('user_id = :boundTo', { boundTo });
    const result = await query.returning('user_id, expires_at').execute();
    const row = (result.raw as { user_id: string | null; expires_at: Date | string }[])[0];
    return row ? { userId: row.user_id, expiresAt: new Date(row.expires_at) } : undefined;
  }

  async sweep(now: Date): Promise<void> {
    await this.challenges.createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
  }
}

/** Kept by Redis a little past the challenge's own expiry, which the Clock judges. */
const REDIS_KEEP_EXTRA_MS = 60_000;

/**
 * Redis: GETDEL. The user of a registration challenge is part of its key, so another user's attempt
 * looks up a key that does not exist. Redis' own expiry only tidies; validity is judged by the Clock.
 */
export class RedisChallengeStore implements ChallengeStore {
  constructor(
    private readonly client: RedisClient,
    private readonly key: (name: string) => string,
  ) {}

  async put(challenge: string, purpose: ChallengePurpose, stored: StoredChallenge): Promise<void> {
    const keepMs = Math.max(1, stored.expiresAt.getTime() - Date.now()) + REDIS_KEEP_EXTRA_MS;
    const value = JSON.stringify({ u: stored.userId, e: stored.expiresAt.getTime() });
    await this.client.set(this.keyOf(challenge, purpose, stored.userId), value, 'PX', keepMs);
  }

  async take(challenge: string, purpose: ChallengePurpose, boundTo?: string): Promise<StoredChallenge | undefined> {
    const value = await this.client.getdel(this.keyOf(challenge, purpose, boundTo ?? null));
    if (value === null) return undefined;
    const parsed = JSON.parse(value) as { u: string | null; e: number };
    return { userId: parsed.u, expiresAt: new Date(parsed.e) };
  }

  private keyOf(challenge: string, purpose: ChallengePurpose, userId: string | null): string {
    return this.key(
      purpose === 'registration'
        ? `webauthn:registration:${userId}:${challenge}`
        : `webauthn:authentication:${challenge}`,
    );
  }
}
