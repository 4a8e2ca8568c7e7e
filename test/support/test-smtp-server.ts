import { AddressInfo, createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it came over the wire (headers and MIME parts). */
  raw: string;
  /** The message with quoted-printable undone and LF line ends, where links and names can be searched. */
  decoded: string;
}

/** A free loopback port, for a server that is started later (an SMTP outage). */
export async function sparePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Undoes quoted-printable (soft line breaks and =XX) and CRLF so that a link can be read out of the message. */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A real SMTP server of the test's own (smtp-server, from the nodemailer project) that keeps every
 * message it accepts, on a loopback port.
 */
export class TestSmtpServer {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every message accepted so far, in arrival order. */
    readonly messages: ReceivedMail[],
  ) {}

  static async start(port = 0): Promise<TestSmtpServer> {
    const messages: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            decoded: decodeQuotedPrintable(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (server.server.address() as AddressInfo).port;
    return new TestSmtpServer(server, bound, messages);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages to one address, in arrival order; only those whose text holds `containing`, if given. */
  to(address: string, containing?: string): ReceivedMail[] {
    return this.messages.filter(
      (message) => message.to.includes(address) && (containing === undefined || message.decoded.includes(containing)),
    );
  }

  /** Waits (up to timeoutMs) until this many such messages have reached the address, and returns them. */
  async waitFor(
    address: string,
    { count = 1, timeoutMs = 5000, containing }: { count?: number; timeoutMs?: number; containing?: string } = {},
  ): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address, containing).length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const received = this.to(address, containing);
    if (received.length < count) throw new Error(`${received.length} of ${count} mails reached ${address}`);
    return received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The token in a mail's link (`/verify-email?token=…` or `/reset-password?token=…`). */
export function tokenFromMail(mail: ReceivedMail, path: '/verify-email' | '/reset-password'): string {
  const escaped = path.replace(/[/-]/g, '\\$&');
  const match = new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(mail.decoded);
  if (!match) throw new Error(`no ${path} link in the mail`);
  return match[1];
}

/** The decoded body of one MIME part (text/plain or text/html) of a multipart/alternative mail. */
export function mailPart(mail: ReceivedMail, type: 'text/plain' | 'text/html'): string {
  const start = mail.decoded.indexOf(`Content-Type: ${type}`);
  if (start < 0) throw new Error(`no ${type} part in the mail`);
  const body = mail.decoded.slice(mail.decoded.indexOf('\n\n', start) + 2);
  return body.slice(0, body.search(/\n--/));
}
