import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token';
import { MfaLoginToken } from './entities/mfa-login-token.entity';

/** How long a password-verified sign-in waits for its second factor. */
export const MFA_TOKEN_LIFETIME_MS = 5 * 60_000;
/** Wrong codes a token survives; the next one kills it. */
export const MAX_WRONG_CODES = 3;
/** Finished tokens stay a day (support questions), then the retention job deletes them. */
const KEEP_FINISHED_MS = 24 * 3_600_000;

const LIVE = `"used_at" IS NULL AND "failed_attempts" < ${MAX_WRONG_CODES} AND "expires_at" > :now`;

/** The only code that writes mfa_login_tokens. */
@Injectable()
export class MfaLoginTokenRepository {
  constructor(
    @InjectRepository(MfaLoginToken) private readonly tokens: Repository<MfaLoginToken>,
    private readonly clock: Clock,
  ) {}

  /** `tokenVersion`: the user's, as the password check saw it (see MfaLoginToken.tokenVersion). */
  async issue(userId: string, tokenVersion: number): Promise<string> {
    const token = newOpaqueToken();
    await this.tokens.insert({
      userId,
      tokenVersion,
      tokenHash: hashOpaqueToken(token),
      expiresAt: new Date(this.clock.now().getTime() + MFA_TOKEN_LIFETIME_MS),
      usedAt: null,
    });
    return token;
  }

  /** The live token, or null for an unknown, spent, expired or dead one. */
  async findLive(token: string): Promise<MfaLoginToken | null> {
    const stored = await this.tokens.findOneBy({ tokenHash: hashOpaqueToken(token) });
    if (!stored || stored.usedAt || stored.failedAttempts >= MAX_WRONG_CODES) return null;
    return stored.expiresAt > this.clock.now() ? stored : null;
  }

  /** One conditional update: of two concurrent uses, one spends it. */
  async spend(tokenId: string, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ? manager.withRepository(this.tokens) : this.tokens)
      .createQueryBuilder()
      .update()
      .set({ usedAt: this.clock.now() })
      .where(`"id" = :tokenId AND ${LIVE}`, { tokenId, now: this.clock.now() })
      .execute();
    return result.affected === 1;
  }

  async recordWrongCode(tokenId: string): Promise<void> {
    await this.tokens
      .createQueryBuilder()
      .update()
      .set({ failedAttempts: () => '"failed_attempts" + 1' })
      .where(`"id" = :tokenId AND ${LIVE}`, { tokenId, now: this.clock.now() })
      .execute();
  }

  /** The factors went away (disabled, reset by an admin): a sign-in half done must not finish. */
  async deleteAllForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.withRepository(this.tokens).delete({ userId });
  }

  async purgeFinished(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - KEEP_FINISHED_MS);
    const result = await this.tokens
      .createQueryBuilder()
      .delete()
      .where('"expires_at" < :cutoff OR "used_at" < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
