import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { RedisConnection } from '../security/redis/redis-connection';
import { PostgresChallengeStore, RedisChallengeStore, StoredChallenge } from './challenge-stores';
import { ChallengePurpose, WebauthnChallenge } from './entities/webauthn-challenge.entity';

/** How long options stay usable; also the timeout the browser is given. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
/** Expired PostgreSQL rows are swept at most this often per instance, on the way to issuing a new one. */
const SWEEP_INTERVAL_MS = 60_000;

export class ChallengeRefused extends ProblemException {
  constructor() {
    super(400, 'The challenge is unknown, already used or expired: ask for new options');
  }
}

/**
 * Server-side ceremony challenges, shared by every instance: in Redis when REDIS_URL is set (no
 * PostgreSQL commit per ceremony step), else, and whenever Redis does not answer, in PostgreSQL.
 * A challenge is taken from both stores when used: one issued to PostgreSQL during a Redis outage
 * still works once Redis is back, and one that reached both (a Redis write that answered too late)
 * is still used only once.
 */
@Injectable()
export class WebauthnChallenges {
  private readonly postgres: PostgresChallengeStore;
  private readonly redisStore?: RedisChallengeStore;
  private lastSweep = 0;

  constructor(
    @InjectRepository(WebauthnChallenge) challenges: Repository<WebauthnChallenge>,
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    this.postgres = new PostgresChallengeStore(challenges);
    if (redis.client) this.redisStore = new RedisChallengeStore(redis.client, (name) => redis.key(name));
  }

  /** Stores a challenge the library generated, bound to a user (or to none: a discoverable sign-in). */
  async issue(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
    const now = this.clock.now();
    const stored: StoredChallenge = { userId, expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS) };
    // Also with Redis: rows written during an outage must go too; a sweep that finds none costs no commit.
    if (now.getTime() - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now.getTime();
      await this.postgres.sweep(now);
    }
    const redisStore = this.redisStore;
    if (redisStore) {
      await this.redis.run(
        (_client) => redisStore.put(challenge, purpose, stored),
        () => this.postgres.put(challenge, purpose, stored),
      );
      return;
    }
    await this.postgres.put(challenge, purpose, stored);
  }

  /**
   * Spends the challenge and answers whom it was bound to and when it was issued; 400 when it is
   * unknown, spent, expired, or (registration) another user's.
   */
  async consume(
    challenge: string,
    purpose: ChallengePurpose,
    userId?: string,
  ): Promise<{ userId: string | null; issuedAt: Date }> {
    const redisStore = this.redisStore;
    const fromRedis = redisStore
      ? await this.redis.run(
          (_client) => redisStore.take(challenge, purpose, userId),
          async () => undefined,
        )
      : undefined;
    // A DELETE that finds nothing writes nothing, so this costs no commit when Redis had it.
    const fromPostgres = await this.postgres.take(challenge, purpose, userId);
    const stored = fromRedis ?? fromPostgres;
    if (!stored || stored.expiresAt.getTime() <= this.clock.now().getTime()) throw new ChallengeRefused();
    return { userId: stored.userId, issuedAt: new Date(stored.expiresAt.getTime() - CHALLENGE_LIFETIME_MS) };
  }
}

/** What this service issues (base64url); anything else, a NUL included, must never reach a store's query. */
const CHALLENGE_TEXT = /^[A-Za-z0-9_-]{1,64}$/;

/** The challenge a credential answers, read from its clientDataJSON; undefined when unreadable or not ours. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as unknown;
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && CHALLENGE_TEXT.test(challenge) ? challenge : undefined;
  } catch {
    return undefined;
  }
}
