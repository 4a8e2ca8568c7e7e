import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MailOutbox } from '../../mail/mail-outbox.service';
import { EmailRateLimiter } from '../../security/rate-limit/email-rate-limiter.service';
import { SecurityLogger } from '../../security/security-logger.service';
import { normaliseEmail } from '../../users/email-address';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { AccountMails } from './account-mails';
import { InvalidOneTimeTokenException } from './invalid-one-time-token.exception';
import { OneTimeTokensService } from './one-time-tokens.service';

/** A forgotten password: a mailed link whose token lets its holder set a new one. */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: OneTimeTokensService,
    private readonly mails: AccountMails,
    private readonly outbox: MailOutbox,
    private readonly emailLimiter: EmailRateLimiter,
    private readonly security: SecurityLogger,
  ) {}

  /**
   * Mails a reset link to an active account with this address. Unknown and deactivated addresses get
   * the same statements with no row touched, so the caller cannot tell them apart by answer or time.
   */
  async request(email: string, ip?: string): Promise<void> {
    const normalised = normaliseEmail(email);
    await this.emailLimiter.consume(normalised, ip);
    const found = await this.users.findByEmail(normalised);
    const user = found?.isActive ? found : null;
    await this.dataSource.transaction(async (manager) => {
      if (!user) return this.tokens.issueNothing('reset_password', manager);
      const token = await this.tokens.issue(user.id, 'reset_password', manager);
      await this.outbox.enqueue(this.mails.passwordReset(user, token), manager);
    });
    if (user) this.outbox.committed();
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
   * address, so it is marked verified.
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
      return updated;
    });
    if (!user) {
      this.security.warn('token_rejected', { kind: 'reset_password', ip_address: ip });
      throw new InvalidOneTimeTokenException();
    }
    this.security.event('password_reset', { user_id: user.id, ip_address: ip });
    return user;
  }
}
