import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app.config';
import { MailConfig } from '../config/mail.config';
import { requestContext } from '../logging/request-context';
import { MailLinks } from '../mail/mail-links';
import { MailOutbox } from '../mail/mail-outbox';
import { OneTimeTokenRepository } from '../one-time-tokens/one-time-token.repository';
import { deviceName } from './device-name';
import { renderSecurityNotification } from './security-notification-mail';
import { addedWayIn, noticeWording, SecurityNotice, utcMinute } from './security-notice';

export const SECURITY_NOTIFICATION = 'security_notification';

/** Whom a notification goes to. */
export interface NotifiedAccount {
  id: string;
  email: string;
  firstName: string;
}

export interface NoticeClient {
  ipAddress?: string;
  userAgent?: string;
}

/**
 * Mails the account's owner about a security change, so that a change they did not make does not go
 * unnoticed. Queued in the transaction of the change (the mail exists if and only if the change
 * committed), with a secure-account token for the events that carry a link. SECURITY_NOTIFICATIONS=false
 * switches them off; in production without SMTP_URL each is skipped with a warning and the change
 * proceeds.
 */
@Injectable()
export class SecurityNotifications {
  private readonly logger = new Logger(SecurityNotifications.name);

  constructor(
    private readonly mail: MailConfig,
    private readonly app: AppConfig,
    private readonly outbox: MailOutbox,
    private readonly links: MailLinks,
    private readonly tokens: OneTimeTokenRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * In the caller's transaction; call sent() after it commits. The client defaults to the current
   * request's (who made the change, from where); an administrator's address and device are never told.
   */
  async queue(
    manager: EntityManager,
    account: NotifiedAccount,
    notice: SecurityNotice,
    client?: NoticeClient | 'administrator',
  ): Promise<void> {
    if (!this.mail.securityNotifications) return;
    if (!this.outbox.available) {
      this.logger.warn(`security notification ${notice.event} for user ${account.id} skipped: mail is not configured`);
      return;
    }
    const from = client === 'administrator' ? undefined : (client ?? requestContext.getStore()?.client?.() ?? {});
    const wording = noticeWording(notice, this.app.appName);
    const link = wording.carriesLink
      ? this.links.withToken('/secure-account', await this.secureAccountToken(manager, account.id, notice))
      : null;
    const rendered = renderSecurityNotification({
      appName: this.app.appName,
      recipientName: account.firstName,
      what: wording.what,
      when: utcMinute(this.clock.now()),
      by: from ? { ipAddress: from.ipAddress ?? 'unknown', device: deviceName(from.userAgent) } : 'administrator',
      secureAccount: link ? { link, removes: wording.removes } : undefined,
    });
    await this.outbox.enqueue(
      {
        purpose: SECURITY_NOTIFICATION,
        event: notice.event,
        to: account.email,
        subject: wording.subject,
        link,
        ...rendered,
      },
      manager,
    );
  }

  /** After the transaction of queue() committed: this instance sends now rather than at its next poll. */
  sent(): void {
    if (this.mail.securityNotifications && this.outbox.available) this.outbox.committed();
  }

  private secureAccountToken(manager: EntityManager, userId: string, notice: SecurityNotice): Promise<string> {
    return this.tokens.issueSecureAccount(userId, { event: notice.event, subject: addedWayIn(notice) }, manager);
  }
}
