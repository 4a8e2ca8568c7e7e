import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { OneTimeTokenRepository } from '../one-time-tokens/one-time-token.repository';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { Clock } from '../common/clock';
import { normaliseEmail } from '../common/email-address';
import { User, UserRole } from './entities/user.entity';
import { LastActiveAdmin } from './standing/last-active-admin';
import { AdminFields, UserRepository } from './user.repository';
import { UserNotFoundException, WeakPasswordException } from './users.errors';

/** The stored hash of an account without a password: no password verifies against it. */
export const NO_PASSWORD = '';

export interface NewUser {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  role?: UserRole;
  emailVerified?: boolean;
}

export interface AdminChange {
  role?: UserRole;
  isActive?: boolean;
}

/** Who deletes an account: its owner (`account.deleted`) or an administrator (`admin.user_deleted`). */
export interface Deletion {
  action: 'account.deleted' | 'admin.user_deleted';
  actorId: string;
}

/** The accounts' rules: what may change, and what else changes with it (UserRepository writes the rows). */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly oneTimeTokens: OneTimeTokenRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly lastAdmin: LastActiveAdmin,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new UserNotFoundException();
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  /** Refuses a password the policy rejects, naming the request field it came from. */
  assertAcceptablePassword(
    password: string,
    owner: Pick<User, 'email' | 'firstName' | 'lastName'>,
    field: string,
  ): void {
    const problem = this.policy.problem(password, owner);
    if (problem) throw new WeakPasswordException(field, problem);
  }

  /** Creates an account; the unique index on lower(email) decides races (409, never 500). */
  async create(input: NewUser, manager?: EntityManager): Promise<User> {
    return this.users.insert(await this.prepare(input), manager);
  }

  /**
   * Creates an account and, in the same transaction, whatever must exist with it (its verification
   * mail). The password is scored and hashed before the transaction opens, so the embedded database's
   * one connection is not held for bcrypt's time.
   */
  async createWith(
    input: NewUser,
    alsoInTransaction: (user: User, manager: EntityManager) => Promise<void>,
  ): Promise<User> {
    const prepared = await this.prepare(input);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.insert(prepared, manager);
      await alsoInTransaction(user, manager);
      return user;
    });
  }

  /**
   * An account that signs in through an external provider: its email verified by that provider, and no
   * password (an empty hash, which no password verifies against; the owner may set one through
   * forgot-password). Created in one transaction with what must exist with it (the linked identity).
   */
  async createWithoutPassword(
    input: Omit<NewUser, 'password' | 'role' | 'emailVerified'>,
    alsoInTransaction: (user: User, manager: EntityManager) => Promise<void>,
  ): Promise<User> {
    const prepared = this.users.build({
      email: normaliseEmail(input.email),
      firstName: input.firstName,
      lastName: input.lastName,
      passwordHash: NO_PASSWORD,
      role: 'user',
      emailVerifiedAt: this.clock.now(),
    });
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.insert(prepared, manager);
      await alsoInTransaction(user, manager);
      return user;
    });
  }

  /** The account, locked until `manager`'s transaction ends: changes to its ways in then run one at a time. */
  lockById(userId: string, manager: EntityManager): Promise<User | null> {
    return this.users.lockById(userId, manager);
  }

  /** The owner of the address proved it (a mailed link); the first proof's time is kept. */
  async markEmailVerified(userId: string, manager: EntityManager): Promise<User> {
    await this.users.markEmailVerified(userId, this.clock.now(), manager);
    return this.users.getById(userId, manager);
  }

  private async prepare(input: NewUser): Promise<User> {
    const email = normaliseEmail(input.email);
    this.assertAcceptablePassword(input.password, { ...input, email }, 'password');
    return this.users.build({
      email,
      firstName: input.firstName,
      lastName: input.lastName,
      passwordHash: await this.hasher.hash(input.password),
      role: input.role ?? 'user',
      emailVerifiedAt: input.emailVerified ? this.clock.now() : null,
    });
  }

  /** A new hash for a legacy or outdated one, computed before the login's transaction opens. */
  async upgradedHash(user: User, password: string): Promise<string | undefined> {
    return this.hasher.needsRehash(user.passwordHash) ? this.hasher.hash(password) : undefined;
  }

  /**
   * After a successful login, in its transaction: remember it, store an upgraded hash if any. Only if
   * the account is as the password check saw it: a reset, password change, logout-all or deactivation
   * committed meanwhile must not be undone by this login (false: the caller refuses the login).
   */
  async recordLogin(user: User, upgradedHash: string | undefined, manager: EntityManager): Promise<boolean> {
    const changes: Partial<User> = { lastLoginAt: this.clock.now() };
    if (upgradedHash) changes.passwordHash = upgradedHash;
    if (!(await this.users.recordLogin(user, changes, manager))) return false;
    Object.assign(user, changes);
    return true;
  }

  /** TOTP switched on or off, in the transaction of mfa/ that changes the factor. */
  async setMfaEnabled(userId: string, enabled: boolean, manager: EntityManager): Promise<void> {
    await this.users.setMfaEnabled(userId, enabled, manager);
  }

  /** A passkey added (+1) or removed (-1), or all removed (-count), in the transaction of passkeys/ that does it. */
  async changePasskeyCount(userId: string, delta: number, manager: EntityManager): Promise<void> {
    await this.users.changePasskeyCount(userId, delta, manager);
  }

  async updateProfile(user: User, changes: { firstName?: string; lastName?: string }): Promise<User> {
    const update: Partial<Pick<User, 'firstName' | 'lastName'>> = {};
    if (changes.firstName !== undefined) update.firstName = changes.firstName;
    if (changes.lastName !== undefined) update.lastName = changes.lastName;
    await this.users.updateProfile(user.id, update);
    return this.getById(user.id);
  }

  /**
   * Every token of the user stops working: the version in their access tokens is bumped and every
   * session (refresh-token family) revoked, inside the caller's transaction.
   */
  async invalidateAllTokens(userId: string, reason: string, manager: EntityManager): Promise<void> {
    await this.users.bumpTokenVersion(userId, manager);
    await this.sessions.revokeAllForUser(userId, reason, manager);
  }

  /** An administrator's ban (null lifts it), in the caller's transaction; AccountStanding reads it. */
  async setBan(
    userId: string,
    ban: { reason: string; until: Date | null } | null,
    manager: EntityManager,
  ): Promise<void> {
    await this.users.setBan(userId, ban, manager);
  }

  /**
   * Scores and hashes a new password, before any transaction opens: bcrypt takes 50-200 ms, and the
   * embedded database's one connection must not wait on it.
   */
  async hashNewPassword(
    newPassword: string,
    owner: Pick<User, 'email' | 'firstName' | 'lastName'>,
    field: string,
  ): Promise<string> {
    this.assertAcceptablePassword(newPassword, owner, field);
    return this.hasher.hash(newPassword);
  }

  /** Stores a hash from hashNewPassword, ends every session and voids every mailed link, in the caller's transaction. */
  async setPassword(userId: string, passwordHash: string, manager: EntityManager): Promise<User> {
    await this.users.setPasswordHash(userId, passwordHash, manager);
    await this.invalidateAllTokens(userId, 'password_changed', manager);
    await this.oneTimeTokens.voidAllForUser(userId, manager);
    return this.users.getById(userId, manager);
  }

  /**
   * Role and activity changes by an administrator. The admins are locked while the change is checked
   * (LastActiveAdmin), so two admins demoting each other at once cannot leave none.
   */
  adminUpdate(userId: string, change: AdminChange, actorId: string): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lockedTarget(userId, manager);
      if (change.role === 'user' || change.isActive === false) await this.lastAdmin.assertNotLast(user, manager);
      const update: AdminFields = {};
      if (change.role !== undefined) update.role = change.role;
      if (change.isActive !== undefined) update.isActive = change.isActive;
      await this.users.updateAdminFields(user.id, update, manager);
      if (change.role === 'user' && user.role === 'admin')
        await this.sessions.endImpersonationsBy(user.id, 'admin_demoted', manager);
      if (change.isActive === false && user.isActive) {
        await this.invalidateAllTokens(user.id, 'deactivated', manager);
        await this.oneTimeTokens.voidAllForUser(user.id, manager);
      }
      await this.audit.record(manager, {
        action: 'admin.user_updated',
        actorId,
        targetUserId: user.id,
        details: { role: change.role ?? null, isActive: change.isActive ?? null },
      });
      return this.users.getById(user.id, manager);
    });
  }

  /**
   * Deletes an account (its sessions and mailed tokens go with it, by cascade). The last active admin
   * is refused, checked with the admins locked, whether an admin or the account's owner asks.
   */
  delete(userId: string, by: Deletion): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lockedTarget(userId, manager);
      await this.lastAdmin.assertNotLast(user, manager);
      await this.users.delete(user.id, manager);
      // No foreign key: the row outlives the account it proves was deleted.
      await this.audit.record(manager, { action: by.action, actorId: by.actorId, targetUserId: user.id });
      return user;
    });
  }

  private async lockedTarget(userId: string, manager: EntityManager): Promise<User> {
    const user = await this.lastAdmin.lockWithTarget(userId, manager);
    if (!user) throw new UserNotFoundException();
    return user;
  }
}
