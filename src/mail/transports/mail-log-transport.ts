import { appendFile, chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OutgoingMail } from '../outgoing-mail';
import { MailTransport } from './mail-transport';

/**
 * The developer's mailbox when SMTP_URL is unset: one JSON line per mail in LOG_DIR/mail.log. It holds
 * the links (with their tokens) by design, so that a developer can open them; no other log does.
 */
export class MailLogTransport extends MailTransport {
  readonly path: string;
  private restricted = false;

  constructor(private readonly logDir: string) {
    super();
    this.path = join(logDir, 'mail.log');
  }

  async send(mail: OutgoingMail): Promise<void> {
    const line = {
      to: mail.to,
      subject: mail.subject,
      purpose: mail.purpose,
      ...(mail.event ? { event: mail.event } : {}),
      link: mail.link,
      text: mail.text,
      sentAt: new Date().toISOString(),
    };
    await mkdir(this.logDir, { recursive: true });
    // Live links are credentials: the file is its owner's alone (0600), never world-readable.
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
    if (!this.restricted) {
      // The mode above applies only when the file is created: one left readable by an older version is closed too.
      await chmod(this.path, 0o600);
      this.restricted = true;
    }
  }

  close(): void {
    // Nothing held open: each line is appended on its own.
  }
}
