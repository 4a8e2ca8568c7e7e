import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MailLine {
  to: string;
  purpose: string;
  link: string;
}

/**
 * The link of the newest mail of one purpose to one address in LOG_DIR/mail.log (the development
 * mailbox), waiting up to 5 s: mails are queued after the reply and written by the outbox.
 */
export async function mailedLink(logDir: string, to: string, purpose: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    let lines: MailLine[] = [];
    try {
      lines = readFileSync(join(logDir, 'mail.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as MailLine);
    } catch {
      // Not written yet.
    }
    const found = lines.reverse().find((line) => line.to === to && line.purpose === purpose);
    if (found) return found.link;
    if (Date.now() > deadline) throw new Error(`no ${purpose} mail to ${to} in mail.log`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
