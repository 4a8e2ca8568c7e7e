import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from './test-app';

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

/** The link of the newest mail of one purpose to one address, waiting like waitForMail. */
export async function mailedLink(logDir: string, to: string, purpose: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = readMailLog(logDir)
      .reverse()
      .find((mail) => mail.to === to && mail.purpose === purpose);
    if (found?.link) return found.link;
    if (Date.now() > deadline) throw new Error(`no ${purpose} mail to ${to} in mail.log`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function mailsTo(t: TestApp, email: string, purpose: string): LoggedMail[] {
  return readMailLog(t.logDir).filter((mail) => mail.to === email && mail.purpose === purpose);
}

/** Runs `send`, then waits (up to 5 s) for the mail of that purpose it caused and answers its link's token. */
export async function tokenOfNextMail(
  t: TestApp,
  email: string,
  purpose: string,
  send: () => Promise<unknown>,
): Promise<string> {
  const before = mailsTo(t, email, purpose).length;
  await send();
  const deadline = Date.now() + 5000;
  for (;;) {
    const mails = mailsTo(t, email, purpose);
    if (mails.length > before) return linkToken(mails[mails.length - 1]);
    if (Date.now() > deadline) throw new Error(`no ${purpose} mail to ${email} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Asks for a reset link by mail and resets the password with it; answers the reset's status. */
export async function resetPasswordByMail(t: TestApp, email: string, newPassword: string): Promise<number> {
  const token = await tokenOfNextMail(t, email, 'reset_password', () =>
    t.app.inject({ method: 'POST', url: '/user/auth/forgot-password', payload: { email } }),
  );
  const res = await t.app.inject({ method: 'POST', url: '/user/auth/reset-password', payload: { token, newPassword } });
  return res.statusCode;
}
