import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggingConfig } from '../config/logging.config';
import { MailConfig } from '../config/mail.config';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailDispatcher } from './mail-dispatcher';
import { MailLinks } from './mail-links';
import { MailOutbox } from './mail-outbox';
import { MailLogTransport } from './transports/mail-log-transport';
import { MailTransport } from './transports/mail-transport';
import { SmtpMailTransport } from './transports/smtp-mail-transport';
import { UnconfiguredMailTransport } from './transports/unconfigured-mail-transport';
import { AppConfig } from '../config/app.config';

/** SMTP when SMTP_URL is set; else LOG_DIR/mail.log in development and test, and no mail in production. */
function mailTransport(mail: MailConfig, logging: LoggingConfig, app: AppConfig): MailTransport {
  if (mail.smtpUrl) return new SmtpMailTransport(mail.smtpUrl, mail.mailFrom);
  return app.isProduction ? new UnconfiguredMailTransport() : new MailLogTransport(logging.dir);
}

/** The outbox, its dispatcher, and the links mails carry. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [
    {
      provide: MailTransport,
      inject: [MailConfig, LoggingConfig, AppConfig],
      useFactory: mailTransport,
    },
    MailDispatcher,
    MailOutbox,
    MailLinks,
  ],
  exports: [MailOutbox, MailLinks],
})
export class MailModule {}
