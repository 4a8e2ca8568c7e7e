import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from './test-app';

/** One line of LOG_DIR/mail.log: a mail the service sent without SMTP_URL. */
export interface LoggedMail {
  to: string;
  subject: string;
  purpose: string;
  link: string;
  text: string;
  sentAt: string;
}

export function mailsTo(t: TestApp, email: string, purpose: string): LoggedMail[] {
  let text = '';
  try {
    text = readFileSync(join(t.logDir, 'mail.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedMail)
    .filter((mail) => mail.to === email && mail.purpose === purpose);
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
    if (mails.length > before) return new URL(mails[mails.length - 1].link).searchParams.get('token') ?? '';
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
