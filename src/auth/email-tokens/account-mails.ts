import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app.config';
import { renderActionMail } from '../../mail/action-mail-layout';
import { MailLinks } from '../../mail/mail-links';
import { OutgoingMail } from '../../mail/outgoing-mail';
import { User } from '../../users/entities/user.entity';

/** The verification and password-reset mails, with links on FRONTEND_URL (default APP_URL). */
@Injectable()
export class AccountMails {
  constructor(
    private readonly app: AppConfig,
    private readonly links: MailLinks,
  ) {}

  verification(user: User, token: string): OutgoingMail {
    const link = this.links.withToken('/verify-email', token);
    const appName = this.app.appName;
    return {
      purpose: 'verify_email',
      to: user.email,
      subject: `Confirm your email address for ${appName}`,
      link,
      ...renderActionMail({
        appName,
        recipientName: user.firstName,
        intro: `Please confirm your email address for ${appName} by opening this link within 24 hours:`,
        actionLabel: 'Confirm my email address',
        link,
        closing: 'If you did not create this account, you can ignore this message.',
      }),
    };
  }

  /** `linkedProviders`: the account's OpenID providers, which still sign in whatever the password. */
  passwordReset(user: User, token: string, linkedProviders: string[] = []): OutgoingMail {
    const link = this.links.withToken('/reset-password', token);
    const appName = this.app.appName;
    return {
      purpose: 'reset_password',
      to: user.email,
      subject: `Reset your ${appName} password`,
      link,
      ...renderActionMail({
        appName,
        recipientName: user.firstName,
        intro: `Someone asked to reset the password of your ${appName} account. To choose a new one, open this link within 30 minutes:`,
        actionLabel: 'Choose a new password',
        link,
        closing:
          'If you did not ask for this, ignore this message: your password stays as it is.' +
          (linkedProviders.length > 0
            ? ` This account also signs in with ${linkedProviders.join(', ')}, linked to it.`
            : ''),
      }),
    };
  }
}
