import { OptionalStringSetting, PatternSetting } from './setting.decorators';

export class MailConfig {
  @OptionalStringSetting('SMTP_URL', /^smtps?:\/\//, 'must be an smtp:// or smtps:// URL') smtpUrl?: string;
  @PatternSetting(
    'MAIL_FROM',
    'no-reply@localhost',
    /^[^\s@]+@[^\s@]+$|^.+<[^\s@]+@[^\s@]+>$/,
    'must be an email address',
  )
  mailFrom!: string;
}
