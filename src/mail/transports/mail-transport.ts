import { OutgoingMail } from '../outgoing-mail';

/** Where the dispatcher hands mail: SMTP in production, LOG_DIR/mail.log in development and test. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
  abstract close(): void;
}
