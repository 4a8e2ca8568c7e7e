import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailDispatcher } from './mail-dispatcher.service';
import { OutgoingMail } from './outgoing-mail';

/** The durable queue of outgoing mail. */
@Injectable()
export class MailOutbox {
  constructor(private readonly dispatcher: MailDispatcher) {}

  /** Inside the caller's transaction: the mail exists if, and only if, that transaction commits. */
  async enqueue(mail: OutgoingMail, manager: EntityManager): Promise<void> {
    await manager.insert(OutboxMessage, {
      purpose: mail.purpose,
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
}
