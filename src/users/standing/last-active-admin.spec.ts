import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { User } from '../entities/user.entity';
import { LastAdminException } from '../users.errors';
import { LastActiveAdmin } from './last-active-admin';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const admin = (changes: Partial<User> = {}): User =>
  ({ id: 'a-1', role: 'admin', isActive: true, banReason: null, bannedUntil: null, ...changes }) as User;

/** A manager whose count of other active admins is `others`. */
function managerCounting(others: number): EntityManager {
  const query = { where: () => query, andWhere: () => query, getCount: () => Promise.resolve(others) };
  return { createQueryBuilder: () => query } as unknown as EntityManager;
}

describe('LastActiveAdmin', () => {
  const rule = new LastActiveAdmin({ now: () => NOW } as Clock);

  it('counts an admin who is active and under no ban in force; an expired ban no longer counts against them', () => {
    expect(rule.isActiveAdmin(admin())).toBe(true);
    expect(rule.isActiveAdmin(admin({ role: 'user' }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ isActive: false }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x' }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x', bannedUntil: new Date(NOW.getTime() + 1) }))).toBe(false);
    expect(rule.isActiveAdmin(admin({ banReason: 'x', bannedUntil: NOW }))).toBe(true);
  });

  it('refuses to take away the last active admin with 409, and lets it go when another remains', async () => {
    await expect(rule.assertNotLast(admin(), managerCounting(0))).rejects.toBeInstanceOf(LastAdminException);
    await expect(rule.assertNotLast(admin(), managerCounting(1))).resolves.toBeUndefined();
  });

  it('never asks about others when the account is no active admin (a banned admin may be deleted)', async () => {
    const manager = { createQueryBuilder: jest.fn() } as unknown as EntityManager;
    await rule.assertNotLast(admin({ banReason: 'x' }), manager);
    expect(manager.createQueryBuilder).not.toHaveBeenCalled();
  });
});
