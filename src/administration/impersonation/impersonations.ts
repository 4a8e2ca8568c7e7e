import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { AuthConfig } from '../../config/auth.config';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { SessionsService } from '../../sessions/sessions.service';
import { AccessTokenService, IssuedAccessToken } from '../../tokens/access-token.service';
import { User } from '../../users/entities/user.entity';
import { AccountStanding } from '../../users/standing/account-standing';
import { UserNotFoundException } from '../../users/users.errors';

/** 403: this account may not be impersonated (an admin, a deactivated or a banned account). */
export class NotImpersonable extends ProblemException {
  constructor(why: string) {
    super(403, `This account cannot be impersonated: ${why}`);
  }
}

/**
 * An administrator acting as a user, for support: a session of its own and an access token carrying
 * `act: { sub: <admin id> }`, living IMPERSONATION_MINUTES at most, with no refresh token. The JWT check
 * keeps it alive only while the user is a plain, active, unbanned user and the admin an active,
 * unbanned admin; ImpersonationGuard keeps it away from everything that secures the account.
 */
@Injectable()
export class Impersonations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly standing: AccountStanding,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
    private readonly security: SecurityLogger,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  async start(userId: string, adminId: string, reason: string, ipAddress?: string): Promise<IssuedAccessToken> {
    const lifetimeSeconds = this.config.impersonationMinutes * 60;
    const until = new Date(this.clock.now().getTime() + lifetimeSeconds * 1000);
    const { user, sessionId } = await this.dataSource.transaction(async (manager) => {
      // Shared lock: a promotion, deactivation or ban of the user waits until this session exists (and ends it).
      const target = await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_read' } });
      if (!target) throw new UserNotFoundException();
      this.assertImpersonable(target);
      const session = await this.sessions.startImpersonation(target.id, adminId, until, manager);
      await this.audit.record(manager, {
        action: 'admin.impersonation_started',
        actorId: adminId,
        targetUserId: target.id,
        details: { sessionId: session.id, reason, until: until.toISOString() },
      });
      await this.notifications.queue(
        manager,
        target,
        { event: 'impersonation_started', reason, until },
        'administrator',
      );
      return { user: target, sessionId: session.id };
    });
    this.notifications.sent();
    this.security.event('admin_action', {
      action: 'impersonate_user',
      actor_id: adminId,
      target_id: user.id,
      session_id: sessionId,
      ip_address: ipAddress,
    });
    const claims = { sub: user.id, sid: sessionId, ver: user.tokenVersion, act: { sub: adminId } };
    return this.accessTokens.sign(claims, lifetimeSeconds);
  }

  private assertImpersonable(user: User): void {
    if (user.role === 'admin') throw new NotImpersonable('it is an administrator');
    if (!user.isActive) throw new NotImpersonable('it is deactivated');
    if (this.standing.isBanned(user)) throw new NotImpersonable('it is banned');
  }
}
