import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { User } from '../entities/user.entity';
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
  constructor(private readonly clock: Clock) {}

  /** Locks every admin row (always in the same order), then the target's; 404 for an unknown target. */
  async lockWithTarget(userId: string, manager: EntityManager): Promise<User | null> {
    await manager
      .createQueryBuilder(User, 'admin')
      .select('admin.id')
      .where("admin.role = 'admin' AND admin.is_active = true")
      .orderBy('admin.id')
      .setLock('pessimistic_write')
      .getMany();
    return manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** An admin who counts toward the rule: active, and no ban in force. */
  isActiveAdmin(user: User): boolean {
    return user.role === 'admin' && user.isActive && !banInForce(user, this.clock.now());
  }

  /** 409 when `user` is an active admin and no other is; call it under lockWithTarget's locks. */
  async assertNotLast(user: User, manager: EntityManager): Promise<void> {
    if (!this.isActiveAdmin(user)) return;
    const others = await manager
      .createQueryBuilder(User, 'admin')
      .where("admin.role = 'admin' AND admin.is_active = true AND admin.id <> :userId", { userId: user.id })
      .andWhere('(admin.ban_reason IS NULL OR admin.banned_until <= :now)', { now: this.clock.now() })
      .getCount();
    if (others === 0) throw new LastAdminException();
  }
}
