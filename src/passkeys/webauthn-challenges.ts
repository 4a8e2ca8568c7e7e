import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { ChallengePurpose, WebauthnChallenge } from './entities/webauthn-challenge.entity';

/** How long options stay usable; also the timeout the browser is given. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
/** Expired rows are swept at most this often per instance, on the way to issuing a new one. */
const SWEEP_INTERVAL_MS = 60_000;

export class ChallengeRefused extends ProblemException {
  constructor() {
    super(400, 'The challenge is unknown, already used or expired: ask for new options');
  }
}

/**
 * Server-side ceremony challenges in PostgreSQL (shared by every instance, with or without Redis):
 * single use, since consuming deletes the row and returns it in one statement, so two requests
 * racing with one challenge cannot both win.
 */
@Injectable()
export class WebauthnChallenges {
  private lastSweep = 0;

  constructor(
    @InjectRepository(WebauthnChallenge) private readonly challenges: Repository<WebauthnChallenge>,
    private readonly clock: Clock,
  ) {}

  /** Stores a challenge the library generated, bound to a user (or to none: a discoverable sign-in). */
  async issue(challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now.getTime();
      await this.challenges.createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
    }
    await this.challenges.insert({
      challenge,
      purpose,
      userId,
      expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
    });
  }

  /**
   * Spends the challenge and answers whom it was bound to; 400 when it is unknown, spent, expired, or
   * (registration) another user's. A registration challenge is only spent by the user it belongs to.
   */
  async consume(challenge: string, purpose: ChallengePurpose, userId?: string): Promise<{ userId: string | null }> {
    const query = this.challenges
      .createQueryBuilder()
      .delete()
      .where('challenge = :challenge AND purpose = :purpose', { challenge, purpose });
    if (userId !== undefined) query.andWhere('user_id = :userId', { userId });
    const result = await query.returning('user_id, expires_at').execute();
    const row = (result.raw as { user_id: string | null; expires_at: Date | string }[])[0];
    if (!row || new Date(row.expires_at).getTime() <= this.clock.now().getTime()) throw new ChallengeRefused();
    return { userId: row.user_id };
  }
}

/** The challenge a credential answers, read from its clientDataJSON; undefined when unreadable. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as unknown;
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 64 ? challenge : undefined;
  } catch {
    return undefined;
  }
}
