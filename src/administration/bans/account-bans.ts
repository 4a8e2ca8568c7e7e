import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { LastActiveAdmin } from '../../users/standing/last-active-admin';
import { UserNotFoundException } from '../../users/users.errors';
import { UsersService } from '../../users/users.service';

export interface Ban {
  reason: string;
  /** null: until lifted. */
  until: Date | null;
}

/**
 * An administrator's bans. A ban ends every session and pending mfaToken of the user in its own
 * transaction (the token version moves on), and its end needs no job: AccountStanding compares it with
 * the clock. The last active admin cannot be banned, checked with every admin row locked.
 */
@Injectable()
export class AccountBans {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly lastAdmin: LastActiveAdmin,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
    private readonly security: SecurityLogger,
    private readonly clock: Clock,
  ) {}

  async ban(userId: string, ban: Ban, adminId: string, ipAddress?: string): Promise<User> {
    if (ban.until && ban.until <= this.clock.now()) {
      throw new ValidationFailedException([{ field: 'until', message: 'until must be in the future' }]);
    }
    const until = ban.until?.toISOString() ?? null;
    const user = await this.dataSource.transaction(async (manager) => {
      const target = await this.lastAdmin.lockWithTarget(userId, manager);
      if (!target) throw new UserNotFoundException();
      await this.lastAdmin.assertNotLast(target, manager);
      await this.users.setBan(target.id, ban, manager);
      await this.users.invalidateAllTokens(target.id, 'banned', manager);
      await this.audit.record(manager, {
        action: 'admin.user_banned',
        actorId: adminId,
        targetUserId: target.id,
        details: { reason: ban.reason, until },
      });
      await this.notifications.queue(manager, target, { event: 'account_banned', ...ban }, 'administrator');
      return manager.findOneByOrFail(User, { id: target.id });
    });
    this.notifications.sent();
    this.security.event('admin_action', {
      action: 'ban_user',
      actor_id: adminId,
      target_id: user.id,
      until,
      ip_address: ipAddress,
    });
    return user;
  }

  /** Lifts a ban, in force or expired; a user without one is answered as is, with nothing recorded. */
  async lift(userId: string, adminId: string, ipAddress?: string): Promise<User> {
    const { user, lifted } = await this.dataSource.transaction(async (manager) => {
      const target = await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw new UserNotFoundException();
      if (target.banReason === null) return { user: target, lifted: false };
      await this.users.setBan(target.id, null, manager);
      await this.audit.record(manager, { action: 'admin.user_unbanned', actorId: adminId, targetUserId: target.id });
      return { user: await manager.findOneByOrFail(User, { id: target.id }), lifted: true };
    });
    if (lifted) {
      this.security.event('admin_action', {
        action: 'unban_user',
        actor_id: adminId,
        target_id: user.id,
        ip_address: ipAddress,
      });
    }
    return user;
  }
}
