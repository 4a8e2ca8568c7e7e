import { OutgoingMail } from '../outgoing-mail';
import { MailTransport } from './mail-transport';

export const MAIL_NOT_CONFIGURED = 'mail is not configured';

/**
 * Production without SMTP_URL (an original `.env` has none): nothing may be sent, and the links must
 * not land in a file either. The outbox refuses to queue, so send() is never reached in practice.
 */
export class UnconfiguredMailTransport extends MailTransport {
  send(mail: OutgoingMail): Promise<void> {
    return Promise.reject(new Error(`${MAIL_NOT_CONFIGURED}: cannot send "${mail.subject}"`));
  }

  close(): void {}
}
