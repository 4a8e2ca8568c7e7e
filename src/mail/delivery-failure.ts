/** What nodemailer puts on a failed send: a code of its own and, for an SMTP reply, the reply code. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** nodemailer's codes for "could not talk to the server at all". */
const UNREACHABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED']);

export const MAX_BACKOFF_SECONDS = 30;

/** 1, 2, 4, 8, 16, then 30 seconds between attempts: quick after a blip, gentle during an outage. */
export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, attempts - 1));
}

/** The server is down or unreachable: every other message would fail the same way just now. */
export function isServerUnavailable(error: unknown): boolean {
  const { code, responseCode } = error as SmtpError;
  return (code !== undefined && UNREACHABLE_CODES.has(code)) || responseCode === 421;
}

/** The server answered and refused this very message (5xx): retrying forever would not help. */
export function isPermanentRejection(error: unknown): boolean {
  const { responseCode } = error as SmtpError;
  return responseCode !== undefined && responseCode >= 500;
}

/** The error as stored in last_error: the code and the server's words, bounded. */
export function describeFailure(error: unknown): string {
  const { code, message } = error as SmtpError;
  const text = [code, message ?? String(error)].filter(Boolean).join(': ');
  return text.slice(0, 500);
}
