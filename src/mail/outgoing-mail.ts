/** A rendered mail as it is queued in the outbox and handed to a transport. */
export interface OutgoingMail {
  /** What the mail is for (verify_email, reset_password); reported in mail.log. */
  purpose: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The link the mail exists to deliver, written to mail.log so a developer can open it. */
  link: string;
}
