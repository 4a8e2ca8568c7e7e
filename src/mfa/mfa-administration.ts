import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { SecurityNotifications } from '../notifications/security-notifications';
import { SecurityLogger } from '../security/security-logger';
import { UsersService } from '../users/users.service';
import { SecondFactorRemoval } from './second-factor-removal';

/** An administrator's reset of a user's second factors. */
@Injectable()
export class MfaAdministration {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly removal: SecondFactorRemoval,
    private readonly security: SecurityLogger,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
  ) {}

  /** Factors and sessions go in one transaction: a lost device leaves no way in behind. */
  async resetFactors(userId: string, adminId: string, ipAddress?: string): Promise<void> {
    const user = await this.users.getById(userId);
    const { hadTotp, passkeysRemoved } = await this.dataSource.transaction(async (manager) => {
      const removed = await this.removal.removeAll(user.id, manager);
      await this.users.invalidateAllTokens(user.id, 'mfa_reset', manager);
      await this.audit.record(manager, {
        action: 'admin.mfa_reset',
        actorId: adminId,
        targetUserId: user.id,
        details: { hadTotp: removed.hadTotp, passkeysRemoved: removed.passkeysRemoved },
      });
      // The owner is told an administrator acted, never the administrator's address or device.
      await this.notifications.queue(manager, user, { event: 'second_factors_reset' }, 'administrator');
      return removed;
    });
    this.notifications.sent();
    this.security.event('mfa_reset', {
      user_id: user.id,
      actor_id: adminId,
      ip_address: ipAddress,
      had_totp: hadTotp,
      passkeys_removed: passkeysRemoved,
    });
    this.security.event('admin_action', {
      action: 'reset_mfa',
      actor_id: adminId,
      target_id: user.id,
      ip_address: ipAddress,
    });
  }
}
