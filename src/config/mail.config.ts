import { BoolSetting, OptionalStringSetting, PatternSetting } from './setting.decorators';

export class MailConfig {
  @OptionalStringSetting('SMTP_URL', /^smtps?:\/\//, 'must be an smtp:// or smtps:// URL') smtpUrl?: string;
  @PatternSetting(
    'MAIL_FROM',
    'no-reply@localhost',
    /^[^\s@]+@[^\s@]+$|^.+<[^\s@]+@[^\s@]+>$/,
    'must be an email address',
  )
  mailFrom!: string;
  /** Mails the account's owner about security changes (a passkey added, a new device, …); false switches them off. */
  @BoolSetting('SECURITY_NOTIFICATIONS', true) securityNotifications!: boolean;
}
