import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { normaliseEmail } from '../common/email-address';
import { User } from './entities/user.entity';
import { EmailTakenException, isUniqueViolation } from './users.errors';

/** The columns an administrator changes on an account. */
export type AdminFields = Partial<Pick<User, 'role' | 'isActive'>>;

/** What a password check saw of an account: a login only lands if it still is so. */
export type LoginSnapshot = Pick<User, 'id' | 'passwordHash' | 'tokenVersion'>;

/**
 * The users table's queries, and its one writer. A method given an EntityManager runs in that caller's
 * transaction (on the embedded database's one connection, a query outside it would wait forever).
 */
@Injectable()
export class UserRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  private in(manager?: EntityManager): Repository<User> {
    return manager ? manager.withRepository(this.users) : this.users;
  }

  /** A new entity, not saved yet. */
  build(fields: Partial<User>): User {
    return this.users.create(fields);
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.in(manager).findOneBy({ id });
  }

  /** The account, which the caller knows exists (it holds the transaction that changed it). */
  getById(id: string, manager: EntityManager): Promise<User> {
    return this.in(manager).findOneByOrFail({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** Inserts an account; the unique index on lower(email) decides races (409, never 500). */
  async insert(user: User, manager?: EntityManager): Promise<User> {
    try {
      return await this.in(manager).save(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenException();
      throw error;
    }
  }

  /** The first proof's time is kept: only an unverified address takes `at`. */
  async markEmailVerified(userId: string, at: Date, manager: EntityManager): Promise<void> {
    await this.in(manager).update({ id: userId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: at });
  }

  /**
   * A login's changes, only if the account is as the password check saw it, and active: a reset,
   * password change, logout-all or deactivation committed meanwhile wins (false).
   */
  async recordLogin(seen: LoginSnapshot, changes: Partial<User>, manager: EntityManager): Promise<boolean> {
    const result = await this.in(manager).update(
      { id: seen.id, passwordHash: seen.passwordHash, tokenVersion: seen.tokenVersion, isActive: true },
      changes,
    );
    return Boolean(result.affected);
  }

  async setMfaEnabled(userId: string, enabled: boolean, manager: EntityManager): Promise<void> {
    await this.in(manager).update({ id: userId }, { mfaEnabled: enabled });
  }

  async changePasskeyCount(userId: string, delta: number, manager: EntityManager): Promise<void> {
    await this.in(manager).increment({ id: userId }, 'passkeyCount', delta);
  }

  /** Every access token of the user carries the old version, so none is accepted any more. */
  async bumpTokenVersion(userId: string, manager: EntityManager): Promise<void> {
    await this.in(manager).increment({ id: userId }, 'tokenVersion', 1);
  }

  async setPasswordHash(userId: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await this.in(manager).update({ id: userId }, { passwordHash });
  }

  /** The owner's name; nothing is written when nothing changes. */
  async updateProfile(userId: string, changes: Partial<Pick<User, 'firstName' | 'lastName'>>): Promise<void> {
    if (Object.keys(changes).length > 0) await this.users.update({ id: userId }, changes);
  }

  /** Role and activity; nothing is written when nothing changes. */
  async updateAdminFields(userId: string, fields: AdminFields, manager?: EntityManager): Promise<void> {
    if (Object.keys(fields).length > 0) await this.in(manager).update({ id: userId }, fields);
  }

  async delete(userId: string, manager: EntityManager): Promise<void> {
    await this.in(manager).delete({ id: userId });
  }

  /**
   * The account, locked for the caller's transaction, after every active admin (always in the same
   * order), so that concurrent demotions serialise.
   */
  async lockWithActiveAdmins(userId: string, manager: EntityManager): Promise<User | null> {
    await this.in(manager)
      .createQueryBuilder('admin')
      .select('admin.id')
      .where("admin.role = 'admin' AND admin.is_active = true")
      .orderBy('admin.id')
      .setLock('pessimistic_write')
      .getMany();
    return this.in(manager).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The account, its row locked until the transaction ends (a change that counts its ways in). */
  lockById(userId: string, manager: EntityManager): Promise<User | null> {
    return this.in(manager).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Other admins who are active with no ban in force at `now` (a ban with an end passed is none). */
  countOtherActiveAdmins(userId: string, now: Date, manager: EntityManager): Promise<number> {
    return this.in(manager)
      .createQueryBuilder('admin')
      .where("admin.role = 'admin' AND admin.is_active = true AND admin.id <> :userId", { userId })
      .andWhere('(admin.ban_reason IS NULL OR admin.banned_until <= :now)', { now })
      .getCount();
  }

  /** An administrator's ban, or null to lift it. */
  async setBan(
    userId: string,
    ban: { reason: string; until: Date | null } | null,
    manager: EntityManager,
  ): Promise<void> {
    await this.in(manager).update({ id: userId }, { banReason: ban?.reason ?? null, bannedUntil: ban?.until ?? null });
  }
}
