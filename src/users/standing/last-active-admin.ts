import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { User } from '../entities/user.entity';
import { UserRepository } from '../user.repository';
import { LastAdminException } from '../users.errors';
import { banInForce } from './account-standing';

/**
 * The rule that the service always keeps an active admin (role admin, active, no ban in force), for
 * every change that can take one away: a demotion, a deactivation, a ban, a deletion. The change and its
 * check run in one transaction with every admin row locked first, so two admins acting on each other
 * at once serialise and the second sees the first's change.
 */
@Injectable()
export class LastActiveAdmin {
  constructor(
    private readonly clock: Clock,
    private readonly users: UserRepository,
  ) {}

  /** Locks every admin row (always in the same order), then the target's; null for an unknown target. */
  lockWithTarget(userId: string, manager: EntityManager): Promise<User | null> {
    return this.users.lockWithActiveAdmins(userId, manager);
  }

  /** An admin who counts toward the rule: active, and no ban in force. */
  isActiveAdmin(user: User): boolean {
    return user.role === 'admin' && user.isActive && !banInForce(user, this.clock.now());
  }

  /** 409 when `user` is an active admin and no other is; call it under lockWithTarget's locks. */
  async assertNotLast(user: User, manager: EntityManager): Promise<void> {
    if (!this.isActiveAdmin(user)) return;
    if ((await this.users.countOtherActiveAdmins(user.id, this.clock.now(), manager)) === 0) {
      throw new LastAdminException();
    }
  }
}
