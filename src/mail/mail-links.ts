import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app.config';

/** The links mails carry: one place decides where a mailed token is opened. */
@Injectable()
export class MailLinks {
  constructor(private readonly app: AppConfig) {}

  /** APP_URL (its path kept, trailing slash dropped), else the service's own origin, then the page and token. */
  withToken(path: string, token: string): string {
    const base = (this.app.appUrl ?? this.app.origin).replace(/\/+$/, '');
    return `${base}${path}?token=${encodeURIComponent(token)}`;
  }
}
