import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { User } from '../entities/user.entity';
import { LastAdminException } from '../users.errors';
import { UserRepository } from '../user.repository';
import { LastActiveAdmin } from './last-active-admin';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const admin = (changes: Partial<User> = {}): User =>
  ({ id: 'a-1', role: 'admin', isActive: true, banReason: null, bannedUntil: null, ...changes }) as User;

const manager = {} as EntityManager;

/** The rule over a users table where `others` other admins count. */
function ruleCounting(others: number): { rule: LastActiveAdmin; count: jest.Mock } {
  const count = jest.fn().mockResolvedValue(others);
  const users = { countOtherActiveAdmins: count } as unknown as UserRepository;
  return { rule: new LastActiveAdmin({ now: () => NOW } as Clock, users), count };
}

describe('LastActiveAdmin', () => {
  const { rule } = ruleCounting(1);

  it('counts an admin who is active and under no ban in force; an expired ban no longer counts against them', () => {
    expect(rule.isActiveAdmin(admin())).toBe(true);
    expect(rule.isActiveAdmin(admin({ role: 'user' }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ isActive: false }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x' }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x', bannedUntil: new Date(NOW.getTime() + 1) }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x', bannedUntil: NOW }))).toBe(true);
  });

  it('refuses to take away the last active admin with 409, and lets it go when another remains', async () => {
    await expect(ruleCounting(0).rule.assertNotLast(admin(), manager)).rejects.toBeInstanceOf(LastAdminException);
    await expect(ruleCounting(1).rule.assertNotLast(admin(), manager)).resolves.toBeUndefined();
    const { rule: counting, count } = ruleCounting(1);
    await counting.assertNotLast(admin(), manager);
    expect(count).toHaveBeenCalledWith('a-1', NOW, manager);
  });

  it('never asks about others when the account is no active admin (a banned admin may be deleted)', async () => {
    const { rule: counting, count } = ruleCounting(0);
    await counting.assertNotLast(admin({ banReason: 'x' }), manager);
    expect(count).not.toHaveBeenCalled();
  });
});
