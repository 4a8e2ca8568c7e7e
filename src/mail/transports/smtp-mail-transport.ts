import { createTransport, Transporter } from 'nodemailer';
import { OutgoingMail } from '../outgoing-mail';
import { MailTransport } from './mail-transport';

/**
 * Short timeouts: a dispatcher holds its claim on a message while it talks to the server, and a dead
 * server must fail the attempt (to be retried with backoff) well within that lease.
 */
const CONNECTION_TIMEOUT_MS = 5000;
const GREETING_TIMEOUT_MS = 5000;
const SOCKET_TIMEOUT_MS = 10_000;

/** Sends over SMTP_URL (smtp:// or smtps://, credentials in the URL), one connection per message. */
export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transporter = createTransport({
      url: smtpUrl,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  }

  close(): void {
    this.transporter.close();
  }
}
