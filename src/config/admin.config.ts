import { OptionalStringSetting } from './setting.decorators';

/** The first administrator, created by `npm run db -- seed`. */
export class AdminConfig {
  @OptionalStringSetting('ADMIN_EMAIL') email?: string;
  @OptionalStringSetting('ADMIN_PASSWORD') password?: string;
}
