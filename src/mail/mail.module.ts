import { Module } from '@nestjs/common';
import { LoggingConfig } from '../config/logging.config';
import { MailConfig } from '../config/mail.config';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailOutbox } from './mail-outbox.service';
import { MailLogTransport } from './transports/mail-log-transport';
import { MailTransport } from './transports/mail-transport';
import { SmtpMailTransport } from './transports/smtp-mail-transport';

/** The outbox and its dispatcher; SMTP when SMTP_URL is set, else LOG_DIR/mail.log. */
@Module({
  providers: [
    {
      provide: MailTransport,
      inject: [MailConfig, LoggingConfig],
      useFactory: (mail: MailConfig, logging: LoggingConfig): MailTransport =>
        mail.smtpUrl ? new SmtpMailTransport(mail.smtpUrl, mail.mailFrom) : new MailLogTransport(logging.dir),
    },
    MailDispatcher,
    MailOutbox,
  ],
  exports: [MailOutbox],
})
export class MailModule {}
