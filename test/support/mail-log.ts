import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of LOG_DIR/mail.log: the developer's mailbox when SMTP_URL is unset. */
export interface LoggedMail {
  to: string;
  subject: string;
  purpose: string;
  event?: string;
  link: string | null;
  text: string;
  sentAt: string;
}

export function readMailLog(logDir: string): LoggedMail[] {
  try {
    return readFileSync(join(logDir, 'mail.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LoggedMail);
  } catch {
    return [];
  }
}

/** The outbox sends within a poll (500 ms): waits up to 5 s for the count-th mail matching. */
export async function waitForMail(
  logDir: string,
  matches: (mail: LoggedMail) => boolean,
  count = 1,
): Promise<LoggedMail> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = readMailLog(logDir).filter(matches);
    if (found.length >= count) return found[count - 1];
    if (Date.now() > deadline) throw new Error(`no mail #${count} matching in mail.log after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token parameter of a mail's link. */
export function linkToken(mail: LoggedMail): string {
  if (!mail.link) throw new Error(`mail "${mail.subject}" has no link`);
  return new URL(mail.link).searchParams.get('token') ?? '';
}
