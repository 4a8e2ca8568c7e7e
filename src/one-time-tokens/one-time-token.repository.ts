import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token';
import { OneTimeToken, OneTimeTokenPurpose } from './entities/one-time-token.entity';

const MINUTE_MS = 60_000;

/**
 * How long a mailed link works: a day to confirm an address, half an hour to reset a password, a week
 * to undo a change a security notification reported (the owner may read the mail days later).
 */
export const TOKEN_LIFETIME_MS: Record<OneTimeTokenPurpose, number> = {
  verify_email: 24 * 60 * MINUTE_MS,
  reset_password: 30 * MINUTE_MS,
  secure_account: 7 * 24 * 60 * MINUTE_MS,
};

/** What a secure-account token records: the notified event, and the way in it added (if any). */
export interface SecureAccountSubject {
  event: string;
  subject: string | null;
}

/**
 * The one_time_tokens table's queries, and its only writer. Issuing, checking under lock and spending
 * run in the caller's transaction; peekUsable and purgeFinished stand alone.
 */
@Injectable()
export class OneTimeTokenRepository {
  constructor(
    @InjectRepository(OneTimeToken) private readonly tokens: Repository<OneTimeToken>,
    private readonly clock: Clock,
  ) {}

  /** A fresh token for the user; their earlier unused tokens of the same purpose stop working. */
  async issue(userId: string, purpose: 'verify_email' | 'reset_password', manager: EntityManager): Promise<string> {
    const now = this.clock.now();
    const tokens = manager.withRepository(this.tokens);
    await tokens.update({ userId, purpose, usedAt: IsNull(), expiresAt: MoreThan(now) }, { expiresAt: now });
    return this.insert(userId, purpose, null, manager);
  }

  /**
   * A secure-account token for one notification. Earlier ones stay valid: a second notification (maybe
   * the attacker's own next step) must not void the link of the first.
   */
  issueSecureAccount(userId: string, subject: SecureAccountSubject, manager: EntityManager): Promise<string> {
    return this.insert(userId, 'secure_account', subject, manager);
  }

  /**
   * Every outstanding mailed link of the user stops working (password changed or reset, account
   * deactivated or taken over by the seed): a link mailed before must not outlive the event.
   * Secure-account links are kept: the event may be the very change their owner wants to undo.
   */
  async voidAllForUser(userId: string, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    await manager
      .withRepository(this.tokens)
      .update(
        { userId, purpose: Not('secure_account'), usedAt: IsNull(), expiresAt: MoreThan(now) },
        { expiresAt: now },
      );
  }

  /** The account was secured: every outstanding token of the user, secure-account links included, stops working. */
  async voidEveryToken(userId: string, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    await manager
      .withRepository(this.tokens)
      .update({ userId, usedAt: IsNull(), expiresAt: MoreThan(now) }, { expiresAt: now });
  }

  /**
   * The live token of this purpose, locked until the transaction ends (a concurrent use waits, then
   * finds it spent); null for an unknown, spent, voided or expired one.
   */
  async findUsable(token: string, purpose: OneTimeTokenPurpose, manager: EntityManager): Promise<OneTimeToken | null> {
    const stored = await manager.withRepository(this.tokens).findOne({
      where: { tokenHash: hashOpaqueToken(token), purpose },
      lock: { mode: 'pessimistic_write' },
    });
    if (!stored || stored.usedAt || stored.expiresAt <= this.clock.now()) return null;
    return stored;
  }

  /** The same test without a lock, to learn whose token it is before a transaction opens. */
  async peekUsable(token: string, purpose: OneTimeTokenPurpose): Promise<OneTimeToken | null> {
    const stored = await this.tokens.findOneBy({
      tokenHash: hashOpaqueToken(token),
      purpose,
    });
    if (!stored || stored.usedAt || stored.expiresAt <= this.clock.now()) return null;
    return stored;
  }

  /** Retention: used or expired tokens are kept a day (for support questions), then deleted. */
  async purgeFinished(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - 24 * 60 * MINUTE_MS);
    const result = await this.tokens
      .createQueryBuilder()
      .delete()
      .where('expires_at < :cutoff OR used_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }

  async spend(tokenId: string, manager: EntityManager): Promise<void> {
    await manager.withRepository(this.tokens).update({ id: tokenId }, { usedAt: this.clock.now() });
  }

  private async insert(
    userId: string,
    purpose: OneTimeTokenPurpose,
    subject: SecureAccountSubject | null,
    manager: EntityManager,
  ): Promise<string> {
    const token = newOpaqueToken();
    await manager.withRepository(this.tokens).insert({
      userId,
      purpose,
      tokenHash: hashOpaqueToken(token),
      expiresAt: new Date(this.clock.now().getTime() + TOKEN_LIFETIME_MS[purpose]),
      usedAt: null,
      event: subject?.event ?? null,
      subject: subject?.subject ?? null,
    });
    return token;
  }
}
