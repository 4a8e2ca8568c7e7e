import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { SessionsService } from '../../sessions/sessions.service';
import { AccessTokenService } from '../../tokens/access-token.service';
import { User } from '../../users/entities/user.entity';
import { AccountStanding } from '../../users/standing/account-standing';
import { Impersonations, NotImpersonable } from './impersonations';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const USER = { id: 'u-1', role: 'user', isActive: true, banReason: null, bannedUntil: null, tokenVersion: 3 } as User;

describe('Impersonations', () => {
  let target: User | null;
  const sessions = { startImpersonation: jest.fn().mockResolvedValue({ id: 's-1' }) };
  const sign = jest.fn().mockReturnValue({ accessToken: 'jwt', expiresIn: 600 });
  const manager = { findOne: () => Promise.resolve(target) } as unknown as EntityManager;
  const clock = { now: () => NOW } as Clock;
  const impersonations = new Impersonations(
    { transaction: (work: (m: EntityManager) => unknown) => work(manager) } as unknown as DataSource,
    sessions as unknown as SessionsService,
    { sign } as unknown as AccessTokenService,
    new AccountStanding(clock, { warn: jest.fn() } as unknown as SecurityLogger),
    { record: jest.fn() } as unknown as AuditTrail,
    { queue: jest.fn(), sent: jest.fn() } as unknown as SecurityNotifications,
    { event: jest.fn() } as unknown as SecurityLogger,
    { impersonationMinutes: 10 } as AuthConfig,
    clock,
  );
  beforeEach(() => jest.clearAllMocks());

  it('signs a token for the user with act naming the admin, living IMPERSONATION_MINUTES, on a session ending then', async () => {
    target = USER;
    expect(await impersonations.start('u-1', 'a-1', 'Ticket 1')).toEqual({ accessToken: 'jwt', expiresIn: 600 });
    expect(sessions.startImpersonation).toHaveBeenCalledWith('u-1', 'a-1', new Date(NOW.getTime() + 600_000), manager);
    expect(sign).toHaveBeenCalledWith({ sub: 'u-1', sid: 's-1', ver: 3, act: { sub: 'a-1' } }, 600);
  });

  it('refuses an admin, a deactivated account and one under a ban in force, and starts no session', async () => {
    for (const refused of [
      { ...USER, role: 'admin' },
      { ...USER, isActive: false },
      { ...USER, banReason: 'spam', bannedUntil: null },
    ] as User[]) {
      target = refused;
      await expect(impersonations.start('u-1', 'a-1', 'Ticket 1')).rejects.toBeInstanceOf(NotImpersonable);
    }
    expect(sessions.startImpersonation).not.toHaveBeenCalled();
  });

  it('impersonates an account whose ban has run out', async () => {
    target = { ...USER, banReason: 'spam', bannedUntil: new Date(NOW.getTime() - 1) } as User;
    await expect(impersonations.start('u-1', 'a-1', 'Ticket 1')).resolves.toMatchObject({ accessToken: 'jwt' });
  });
});
