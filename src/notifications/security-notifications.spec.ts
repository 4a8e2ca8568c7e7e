import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app.config';
import { MailConfig } from '../config/mail.config';
import { MailLinks } from '../mail/mail-links';
import { MailOutbox } from '../mail/mail-outbox';
import { OutgoingMail } from '../mail/outgoing-mail';
import { OneTimeTokenRepository } from '../one-time-tokens/one-time-token.repository';
import { SecurityNotifications } from './security-notifications';
import { SecurityNotice } from './security-notice';

const ACCOUNT = { id: 'u-1', email: 'jane@example.com', firstName: 'Jane <b>' };
const CLIENT = {
  ipAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
};
const manager = {} as EntityManager;

function notifications(options: { enabled?: boolean; available?: boolean } = {}) {
  const queued: OutgoingMail[] = [];
  const issued: { userId: string; event: string; subject: string | null }[] = [];
  const app = Object.assign(new AppConfig(), { appName: 'Acme', appUrl: 'https://app.example.com/', port: 8000 });
  const mail = Object.assign(new MailConfig(), { securityNotifications: options.enabled ?? true });
  const outbox = {
    available: options.available ?? true,
    enqueue: (message: OutgoingMail) => Promise.resolve(void queued.push(message)),
    committed: jest.fn(),
  } as unknown as MailOutbox;
  const tokens = {
    issueSecureAccount: (userId: string, subject: { event: string; subject: string | null }) => {
      issued.push({ userId, ...subject });
      return Promise.resolve(`token-${issued.length}`);
    },
  } as unknown as OneTimeTokenRepository;
  const clock = { now: () => new Date('2026-12-06T14:03:59.000Z') } as Clock;
  const service = new SecurityNotifications(mail, app, outbox, new MailLinks(app), tokens, clock);
  return { service, queued, issued, outbox };
}

describe('SecurityNotifications', () => {
  it('mails an addition with a secure-account link whose token records what was added', async () => {
    const { service, queued, issued } = notifications();
    const notice: SecurityNotice = { event: 'passkey_added', passkeyId: 'pk-1', passkeyName: 'YubiKey' };
    await service.queue(manager, ACCOUNT, notice, CLIENT);
    expect(issued).toEqual([{ userId: 'u-1', event: 'passkey_added', subject: 'pk-1' }]);
    expect(queued).toHaveLength(1);
    const [mail] = queued;
    expect(mail).toMatchObject({
      purpose: 'security_notification',
      event: 'passkey_added',
      to: 'jane@example.com',
      link: 'https://app.example.com/secure-account?token=token-1',
    });
    expect(mail.text).toContain('When: 2026-12-06 14:03 UTC');
    expect(mail.text).toContain('IP address: 203.0.113.7');
    expect(mail.text).toContain('Device: Firefox on Linux');
    expect(mail.text).toContain('removes this passkey');
    expect(mail.html).toContain('Hello Jane &lt;b&gt;,');
  });

  it('records the enabled TOTP factor by its enabledAt', async () => {
    const { service, issued } = notifications();
    await service.queue(manager, ACCOUNT, { event: 'totp_enabled', enabledAt: new Date('2026-12-06T14:00:00.123Z') });
    expect(issued[0]).toMatchObject({ event: 'totp_enabled', subject: '2026-12-06T14:00:00.123Z' });
  });

  it('mails removals without a link or a token', async () => {
    const { service, queued, issued } = notifications();
    await service.queue(manager, ACCOUNT, { event: 'passkey_removed', passkeyName: 'YubiKey' }, CLIENT);
    await service.queue(manager, ACCOUNT, { event: 'recovery_codes_regenerated' }, CLIENT);
    expect(issued).toEqual([]);
    expect(queued.map((mail) => mail.link)).toEqual([null, null]);
  });

  it('names an administrator, never their address or device', async () => {
    const { service, queued } = notifications();
    await service.queue(manager, ACCOUNT, { event: 'second_factors_reset' }, 'administrator');
    expect(queued[0].text).toContain('By: an administrator');
    expect(queued[0].text).not.toContain('IP address');
  });

  it('sends nothing when SECURITY_NOTIFICATIONS is false', async () => {
    const { service, queued, issued, outbox } = notifications({ enabled: false });
    await service.queue(manager, ACCOUNT, { event: 'password_changed' }, CLIENT);
    service.sent();
    expect([queued, issued]).toEqual([[], []]);
    expect(outbox.committed).not.toHaveBeenCalled();
  });

  it('skips with one warning when mail cannot be sent (production without SMTP)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { service, queued, issued } = notifications({ available: false });
    await service.queue(manager, ACCOUNT, { event: 'password_changed' }, CLIENT);
    expect([queued, issued]).toEqual([[], []]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/password_changed for user u-1 skipped: mail is not configured/);
    warn.mockRestore();
  });
});
