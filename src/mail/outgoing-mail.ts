/** A rendered mail as it is queued in the outbox and handed to a transport. */
export interface OutgoingMail {
  /** What the mail is for (verify_email, reset_password, security_notification); reported in mail.log. */
  purpose: string;
  /** security_notification: what happened (passkey_added, password_changed, …); reported in mail.log. */
  event?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The link the mail exists to deliver, written to mail.log so a developer can open it; null for a notice. */
  link: string | null;
}
