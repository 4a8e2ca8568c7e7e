import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { MailOutbox } from '../../mail/mail-outbox';
import { MfaService } from '../../mfa/mfa.service';
import { OneTimeToken } from '../../one-time-tokens/entities/one-time-token.entity';
import { OneTimeTokenRepository } from '../../one-time-tokens/one-time-token.repository';
import { PasskeysService } from '../../passkeys/passkeys.service';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { AccountMails } from '../email-tokens/account-mails';
import { InvalidOneTimeTokenException } from '../email-tokens/invalid-one-time-token.exception';
import { RemovedWayIn } from './dto/secure-account.dto';
import { IdentityLinks } from '../../identities/identity-links';

export interface SecuredAccount {
  user: User;
  event: string | null;
  removed: RemovedWayIn | null;
}

/**
 * "This wasn't me": the link of a security notification. Its holder controls the account's mailbox,
 * so every session and pending sign-in ends, every mailed link dies, what the notified event added
 * goes (nothing older: the mailbox alone must not strip the owner's own factors) and a password-reset
 * link is mailed, all in one transaction.
 */
@Injectable()
export class SecureAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: OneTimeTokenRepository,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeysService,
    private readonly identities: IdentityLinks,
    private readonly mails: AccountMails,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditTrail,
    private readonly security: SecurityLogger,
  ) {}

  async secure(token: string, ip?: string): Promise<SecuredAccount> {
    const secured = await this.dataSource.transaction(async (manager): Promise<SecuredAccount | null> => {
      const stored = await this.tokens.findUsable(token, 'secure_account', manager);
      const owner = stored ? await manager.findOneBy(User, { id: stored.userId }) : null;
      if (!stored || !owner) return null;
      await this.tokens.spend(stored.id, manager);
      await this.tokens.voidEveryToken(owner.id, manager);
      await this.users.invalidateAllTokens(owner.id, 'account_secured', manager);
      await this.mfa.endPendingSignIns(owner.id, manager);
      const removed = await this.removeAddedWayIn(stored, manager);
      await this.mailPasswordReset(owner, manager);
      // The link's holder proved control of the mailbox: they are the actor.
      await this.audit.record(manager, {
        action: 'account.secured',
        actorId: owner.id,
        targetUserId: owner.id,
        details: { event: stored.event, removed },
      });
      return { user: owner, event: stored.event, removed };
    });
    if (!secured) {
      this.security.warn('token_rejected', { kind: 'secure_account', ip_address: ip });
      throw new InvalidOneTimeTokenException();
    }
    this.outbox.committed();
    this.security.warn('account_secured', {
      user_id: secured.user.id,
      event: secured.event,
      removed: secured.removed,
      ip_address: ip,
    });
    return secured;
  }

  /** The passkey, TOTP factor or linked identity the notified event added, if it is still that one. */
  private async removeAddedWayIn(stored: OneTimeToken, manager: EntityManager): Promise<RemovedWayIn | null> {
    if (!stored.subject) return null;
    if (stored.event === 'passkey_added') {
      return (await this.passkeys.removeAdded(stored.userId, stored.subject, manager)) ? 'passkey' : null;
    }
    if (stored.event === 'totp_enabled') {
      return (await this.mfa.removeAddedTotp(stored.userId, new Date(stored.subject), manager)) ? 'totp' : null;
    }
    if (stored.event === 'identity_linked') {
      return (await this.identities.removeAdded(stored.userId, stored.subject, manager)) ? 'identity' : null;
    }
    return null;
  }

  /** The owner chooses a new password next; without a way to send mail (production without SMTP) they use forgot-password later. */
  private async mailPasswordReset(owner: User, manager: EntityManager): Promise<void> {
    if (!owner.isActive || !this.outbox.available) return;
    const resetToken = await this.tokens.issue(owner.id, 'reset_password', manager);
    const linkedProviders = await this.identities.linkedProviderNames(owner.id, manager);
    await this.outbox.enqueue(this.mails.passwordReset(owner, resetToken, linkedProviders), manager);
  }
}
