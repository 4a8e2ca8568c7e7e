import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app.config';

/** The links mails carry: one place decides where a mailed token is opened. */
@Injectable()
export class MailLinks {
  constructor(private readonly app: AppConfig) {}

  /** FRONTEND_URL, else APP_URL, else the service's own origin (ActionPagesController answers), then the token. */
  withToken(path: string, token: string): string {
    return `${this.app.linkBase}${path}?token=${encodeURIComponent(token)}`;
  }
}
