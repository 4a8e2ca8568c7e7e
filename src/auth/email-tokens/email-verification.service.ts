import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { MailOutbox } from '../../mail/mail-outbox';
import { EmailRateLimiter } from '../../security/rate-limit/email-rate-limiter';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { AccountMails } from './account-mails';
import { InvalidOneTimeTokenException } from './invalid-one-time-token.exception';
import { OneTimeTokenRepository } from '../../one-time-tokens/one-time-token.repository';

/** Proving that a user owns their address: a mailed link whose token sets email_verified_at. */
@Injectable()
export class EmailVerificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: OneTimeTokenRepository,
    private readonly mails: AccountMails,
    private readonly outbox: MailOutbox,
    private readonly emailLimiter: EmailRateLimiter,
    private readonly security: SecurityLogger,
    private readonly audit: AuditTrail,
  ) {}

  /** Inside the caller's transaction (registration): a new token and its mail. Then call queued(). */
  async queue(user: User, manager: EntityManager): Promise<void> {
    // Registration works without mail (production without SMTP_URL); the link can be asked for later.
    if (!this.outbox.available) return;
    const token = await this.tokens.issue(user.id, 'verify_email', manager);
    await this.outbox.enqueue(this.mails.verification(user, token), manager);
  }

  /** After the transaction of queue() committed. */
  queued(user: User, ip?: string): void {
    if (!this.outbox.available) return;
    this.outbox.committed();
    this.security.event('verification_sent', { user_id: user.id, ip_address: ip });
  }

  /** A fresh link (the previous one stops working); an address already verified gets nothing. */
  async request(user: User, ip?: string): Promise<void> {
    this.outbox.assertAvailable();
    await this.emailLimiter.consume(user.email, ip);
    if (user.emailVerifiedAt) return;
    await this.dataSource.transaction((manager) => this.queue(user, manager));
    this.queued(user, ip);
  }

  /** Spends the token and marks the address verified, together. */
  async verify(token: string, ip?: string): Promise<User> {
    const user = await this.dataSource.transaction(async (manager) => {
      const stored = await this.tokens.findUsable(token, 'verify_email', manager);
      if (!stored) return null;
      await this.tokens.spend(stored.id, manager);
      const verified = await this.users.markEmailVerified(stored.userId, manager);
      await this.audit.record(manager, { action: 'email.verified', actorId: verified.id, targetUserId: verified.id });
      return verified;
    });
    if (!user) {
      this.security.warn('token_rejected', { kind: 'verify_email', ip_address: ip });
      throw new InvalidOneTimeTokenException();
    }
    this.security.event('email_verified', { user_id: user.id, ip_address: ip });
    return user;
  }
}
