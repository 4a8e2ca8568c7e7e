import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { AfterReply } from '../../common/after-reply';
import { MailOutbox } from '../../mail/mail-outbox';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { LockoutService } from '../../security/lockout/lockout.service';
import { EmailRateLimiter } from '../../security/rate-limit/email-rate-limiter';
import { SecurityLogger } from '../../security/security-logger';
import { normaliseEmail } from '../../common/email-address';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { AccountMails } from './account-mails';
import { InvalidOneTimeTokenException } from './invalid-one-time-token.exception';
import { OneTimeTokenRepository } from '../../one-time-tokens/one-time-token.repository';
import { IdentityLinks } from '../../identities/identity-links';

/** A forgotten password: a mailed link whose token lets its holder set a new one. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly identities: IdentityLinks,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: OneTimeTokenRepository,
    private readonly mails: AccountMails,
    private readonly outbox: MailOutbox,
    private readonly emailLimiter: EmailRateLimiter,
    private readonly security: SecurityLogger,
    private readonly lockout: LockoutService,
    private readonly afterReply: AfterReply,
    private readonly audit: AuditTrail,
    private readonly notifications: SecurityNotifications,
  ) {}

  /**
   * Applies the per-address limit, then answers: the lookup and the mail happen after the reply, so
   * neither its content nor its timing tells whether an account has the address.
   */
  async request(email: string, ip?: string): Promise<void> {
    this.outbox.assertAvailable();
    const normalised = normaliseEmail(email);
    await this.emailLimiter.consume(normalised, ip);
    this.afterReply.run('password_reset_request', () => this.mailLink(normalised, ip));
  }

  /** Mails a reset link to an active account with this address; other addresses get nothing. */
  private async mailLink(normalised: string, ip?: string): Promise<void> {
    const found = await this.users.findByEmail(normalised);
    const user = found?.isActive ? found : null;
    if (user) {
      const linkedProviders = await this.identities.linkedProviderNames(user.id);
      await this.dataSource.transaction(async (manager) => {
        const token = await this.tokens.issue(user.id, 'reset_password', manager);
        await this.outbox.enqueue(this.mails.passwordReset(user, token, linkedProviders), manager);
      });
      this.outbox.committed();
    }
    this.security.event('password_reset_requested', {
      email: normalised,
      user_id: user?.id,
      account_found: user !== null,
      ip_address: ip,
    });
  }

  /**
   * Sets the new password, ends every session and spends the token in one transaction: a password the
   * policy refuses rolls it all back and the link keeps working. Opening the link also proves the
   * address, so it is marked verified, and its login count and lock are cleared.
   */
  async reset(token: string, newPassword: string, ip?: string): Promise<User> {
    // Whose token it is decides how the password is scored; hashing happens before the transaction.
    const peeked = await this.tokens.peekUsable(token, 'reset_password');
    const holder = peeked ? await this.users.findById(peeked.userId) : null;
    const passwordHash = holder?.isActive ? await this.users.hashNewPassword(newPassword, holder, 'newPassword') : null;
    const user = await this.dataSource.transaction(async (manager) => {
      // Checked again under lock: another reset may have spent it meanwhile.
      const stored = passwordHash ? await this.tokens.findUsable(token, 'reset_password', manager) : null;
      const owner = stored ? await manager.findOneBy(User, { id: stored.userId }) : null;
      if (!stored || !owner?.isActive || !passwordHash) return null;
      await this.users.markEmailVerified(owner.id, manager);
      const updated = await this.users.setPassword(owner.id, passwordHash, manager);
      await this.tokens.spend(stored.id, manager);
      // The link's holder proved control of the mailbox: they are the actor.
      await this.audit.record(manager, { action: 'password.reset', actorId: owner.id, targetUserId: owner.id });
      await this.notifications.queue(manager, owner, { event: 'password_reset' });
      return updated;
    });
    if (!user) {
      this.security.warn('token_rejected', { kind: 'reset_password', ip_address: ip });
      throw new InvalidOneTimeTokenException();
    }
    this.notifications.sent();
    this.security.event('password_reset', { user_id: user.id, ip_address: ip });
    // The owner proved control of the mailbox: a lock an attacker caused no longer keeps them out.
    await this.lockout.clear(user.email);
    return user;
  }
}
