import { EntityManager, IsNull, Repository } from 'typeorm';
import { User } from './entities/user.entity';
import { UserRepository } from './user.repository';
import { EmailTakenException } from './users.errors';

type Calls = Record<'update' | 'increment' | 'save' | 'delete', jest.Mock>;

function tableDouble(): Repository<User> & Calls {
  return {
    update: jest.fn().mockResolvedValue({ affected: 1 }),
    increment: jest.fn().mockResolvedValue({ affected: 1 }),
    save: jest.fn((user: User) => Promise.resolve(user)),
    delete: jest.fn().mockResolvedValue({ affected: 1 }),
  } as unknown as Repository<User> & Calls;
}

/** The application's repository, and the one a caller's transaction hands out. */
function repositories(): {
  outside: Repository<User> & Calls;
  inside: Repository<User> & Calls;
  manager: EntityManager;
} {
  const outside = tableDouble();
  const inside = tableDouble();
  const manager = { withRepository: () => inside } as unknown as EntityManager;
  return { outside, inside, manager };
}

describe('UserRepository', () => {
  it("writes through the caller's transaction when given its manager, and never outside it", async () => {
    const { outside, inside, manager } = repositories();
    const users = new UserRepository(outside);
    await users.setPasswordHash('u1', 'hash', manager);
    await users.bumpTokenVersion('u1', manager);
    await users.changePasskeyCount('u1', -2, manager);
    await users.delete('u1', manager);
    expect(inside.update).toHaveBeenCalledWith({ id: 'u1' }, { passwordHash: 'hash' });
    expect(inside.increment).toHaveBeenCalledWith({ id: 'u1' }, 'tokenVersion', 1);
    expect(inside.increment).toHaveBeenCalledWith({ id: 'u1' }, 'passkeyCount', -2);
    expect(inside.delete).toHaveBeenCalledWith({ id: 'u1' });
    expect([outside.update, outside.increment, outside.delete].every((call) => call.mock.calls.length === 0)).toBe(
      true,
    );
  });

  it('lands a login only on the account as the password check saw it, active, and says whether it did', async () => {
    const { outside, inside, manager } = repositories();
    const users = new UserRepository(outside);
    const seen = { id: 'u1', passwordHash: 'old', tokenVersion: 3 };
    await expect(users.recordLogin(seen, { lastLoginAt: new Date(0) }, manager)).resolves.toBe(true);
    expect(inside.update).toHaveBeenCalledWith(
      { id: 'u1', passwordHash: 'old', tokenVersion: 3, isActive: true },
      { lastLoginAt: new Date(0) },
    );
    inside.update.mockResolvedValueOnce({ affected: 0 });
    await expect(users.recordLogin(seen, { lastLoginAt: new Date(0) }, manager)).resolves.toBe(false);
  });

  it('keeps the first verification time: only an address not yet verified takes one', async () => {
    const { outside, inside, manager } = repositories();
    await new UserRepository(outside).markEmailVerified('u1', new Date(5), manager);
    expect(inside.update).toHaveBeenCalledWith(
      { id: 'u1', emailVerifiedAt: IsNull() },
      { emailVerifiedAt: new Date(5) },
    );
  });

  it('writes nothing for a profile or admin change that changes nothing', async () => {
    const { outside, inside, manager } = repositories();
    const users = new UserRepository(outside);
    await users.updateProfile('u1', {});
    await users.updateAdminFields('u1', {}, manager);
    expect(outside.update).not.toHaveBeenCalled();
    expect(inside.update).not.toHaveBeenCalled();
    await users.updateAdminFields('u1', { isActive: true });
    expect(outside.update).toHaveBeenCalledWith({ id: 'u1' }, { isActive: true });
  });

  it('answers a taken address (the unique index on lower(email)) as EmailTakenException, other errors as they are', async () => {
    const { outside } = repositories();
    const users = new UserRepository(outside);
    outside.save.mockRejectedValueOnce(Object.assign(new Error('duplicate key'), { driverError: { code: '23505' } }));
    await expect(users.insert({} as User)).rejects.toBeInstanceOf(EmailTakenException);
    const down = new Error('connect ECONNREFUSED');
    outside.save.mockRejectedValueOnce(down);
    await expect(users.insert({} as User)).rejects.toBe(down);
  });
});
