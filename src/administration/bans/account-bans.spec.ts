import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { LastActiveAdmin } from '../../users/standing/last-active-admin';
import { LastAdminException, UserNotFoundException } from '../../users/users.errors';
import { UsersService } from '../../users/users.service';
import { AccountBans } from './account-bans';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const USER = { id: 'u-1', email: 'jane@example.com', firstName: 'Jane', banReason: null } as User;

describe('AccountBans', () => {
  let target: User | null;
  const users = { setBan: jest.fn(), invalidateAllTokens: jest.fn() };
  const lastAdmin = { lockWithTarget: jest.fn(() => Promise.resolve(target)), assertNotLast: jest.fn() };
  const audit = { record: jest.fn() };
  const manager = { findOneByOrFail: () => Promise.resolve(target) } as unknown as EntityManager;
  const transaction = jest.fn((work: (m: EntityManager) => unknown) => work(manager));
  const bans = new AccountBans(
    { transaction } as unknown as DataSource,
    users as unknown as UsersService,
    lastAdmin as unknown as LastActiveAdmin,
    audit as unknown as AuditTrail,
    { queue: jest.fn(), sent: jest.fn() } as unknown as SecurityNotifications,
    { event: jest.fn() } as unknown as SecurityLogger,
    { now: () => NOW } as Clock,
  );
  beforeEach(() => {
    jest.clearAllMocks();
    target = USER;
  });

  it('bans under the admin-row lock: the ban, the end of every session and the audit row together', async () => {
    const until = new Date(NOW.getTime() + 60_000);
    await bans.ban('u-1', { reason: 'Spam', until }, 'a-1');
    expect(lastAdmin.assertNotLast).toHaveBeenCalledWith(USER, manager);
    expect(users.setBan).toHaveBeenCalledWith('u-1', { reason: 'Spam', until }, manager);
    expect(users.invalidateAllTokens).toHaveBeenCalledWith('u-1', 'banned', manager);
    expect(audit.record).toHaveBeenCalledWith(manager, {
      action: 'admin.user_banned',
      actorId: 'a-1',
      targetUserId: 'u-1',
      details: { reason: 'Spam', until: until.toISOString() },
    });
  });

  it('refuses an end that is not in the future with 400, before any transaction', async () => {
    await expect(bans.ban('u-1', { reason: 'Spam', until: NOW }, 'a-1')).rejects.toBeInstanceOf(
      ValidationFailedException,
    );
    expect(transaction).not.toHaveBeenCalled();
  });

  it('changes nothing for the last active admin (409) or an unknown user (404)', async () => {
    lastAdmin.assertNotLast.mockRejectedValueOnce(new LastAdminException());
    await expect(bans.ban('u-1', { reason: 'Spam', until: null }, 'a-1')).rejects.toBeInstanceOf(LastAdminException);
    target = null;
    await expect(bans.ban('u-1', { reason: 'Spam', until: null }, 'a-1')).rejects.toBeInstanceOf(UserNotFoundException);
    expect(users.setBan).not.toHaveBeenCalled();
  });
});
