import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailDispatcher } from './mail-dispatcher';
import { OutgoingMail } from './outgoing-mail';
import { MailTransport } from './transports/mail-transport';
import { MAIL_NOT_CONFIGURED, UnconfiguredMailTransport } from './transports/unconfigured-mail-transport';

/** The durable queue of outgoing mail. */
@Injectable()
export class MailOutbox {
  constructor(
    private readonly dispatcher: MailDispatcher,
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
  ) {}

  /** False in production without SMTP_URL: nothing can be sent, so nothing is queued. */
  get available(): boolean {
    return !(this.transport instanceof UnconfiguredMailTransport);
  }

  /** The routes whose whole purpose is a mail answer 503 when mail cannot be sent. */
  assertAvailable(): void {
    if (!this.available) throw new ProblemException(503, MAIL_NOT_CONFIGURED);
  }

  /** Inside the caller's transaction: the mail exists if, and only if, that transaction commits. */
  async enqueue(mail: OutgoingMail, manager: EntityManager): Promise<void> {
    this.assertAvailable();
    await manager.withRepository(this.messages).insert({
      purpose: mail.purpose,
      event: mail.event ?? null,
      recipient: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      link: mail.link,
    });
  }

  /** After the commit: this instance's dispatcher sends it now instead of at its next poll. */
  committed(): void {
    this.dispatcher.wake();
  }

  /** Retention: sent mail is kept a week, mail given up a month (to see what failed), then deleted. */
  async purgeDelivered(): Promise<number> {
    const now = this.clock.now().getTime();
    const result = await this.messages
      .createQueryBuilder()
      .delete()
      .where('sent_at < :sentCutoff OR failed_at < :failedCutoff', {
        sentCutoff: new Date(now - 7 * 86_400_000),
        failedCutoff: new Date(now - 30 * 86_400_000),
      })
      .execute();
    return result.affected ?? 0;
  }
}
