import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProblemException } from '../common/problem-details/problem.exception';
import { AuditTrail } from '../audit/audit-trail';
import { SecurityNotifications } from '../notifications/security-notifications';
import { SecurityLogger } from '../security/security-logger';
import { SessionsService } from '../sessions/sessions.service';
import { SignedInCaller } from '../users/authenticated-user';
import { UsersService } from '../users/users.service';
import { Passkey } from './entities/passkey.entity';
import { PasskeyRepository } from './passkey.repository';

export class PasskeyNotFound extends ProblemException {
  constructor() {
    super(404, 'You have no passkey with this id');
  }
}

/** A user's passkeys: listing, renaming and removal (PasskeyRepository writes the rows). */
@Injectable()
export class PasskeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passkeys: PasskeyRepository,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly security: SecurityLogger,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
  ) {}

  list(userId: string): Promise<Passkey[]> {
    return this.passkeys.listOwned(userId);
  }

  async rename(userId: string, id: string, name: string, ipAddress?: string): Promise<Passkey> {
    const renamed = await this.passkeys.rename(id, userId, name);
    if (!renamed) throw new PasskeyNotFound();
    this.security.event('passkey_renamed', { user_id: userId, passkey_id: id, ip_address: ipAddress });
    return renamed;
  }

  /** Removes one of the caller's passkeys; every other session of the user ends in the same transaction. */
  async remove(owner: SignedInCaller, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const passkey = await this.passkeys.findOwned(id, owner.user.id, manager);
      if (!passkey || !(await this.passkeys.deleteOwned(id, owner.user.id, manager))) throw new PasskeyNotFound();
      await this.users.changePasskeyCount(owner.user.id, -1, manager);
      await this.sessions.revokeOthers(owner.user.id, owner.sessionId, 'passkey_removed', manager);
      await this.audit.record(manager, {
        action: 'passkey.removed',
        actorId: owner.user.id,
        targetUserId: owner.user.id,
        details: { passkeyId: id },
      });
      await this.notifications.queue(manager, owner.user, { event: 'passkey_removed', passkeyName: passkey.name });
    });
    this.notifications.sent();
    this.security.event('passkey_removed', { user_id: owner.user.id, passkey_id: id, ip_address: owner.ipAddress });
  }

  /**
   * The secure-account step: the passkey a notified event added goes, if it is still there, in the
   * caller's transaction. Answers whether it was.
   */
  async removeAdded(userId: string, passkeyId: string, manager: EntityManager): Promise<boolean> {
    if (!(await this.passkeys.deleteOwned(passkeyId, userId, manager))) return false;
    await this.users.changePasskeyCount(userId, -1, manager);
    return true;
  }
}
