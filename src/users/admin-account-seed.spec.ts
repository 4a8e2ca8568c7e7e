import { DataSource, EntityManager } from 'typeorm';
import { Mocked, newTestService } from '../common/testing/automock';
import { AdminAccountSeed } from './admin-account-seed';
import { User } from './entities/user.entity';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

const EMAIL = 'admin@example.com';
const PASSWORD = 'Adm1n-Str0ng-Passphrase';

const account = (changes: Partial<User>): User =>
  ({ id: 'u-1', email: EMAIL, role: 'user', isActive: true, ...changes }) as User;

describe('AdminAccountSeed', () => {
  let seed: AdminAccountSeed;
  let users: Mocked<UserRepository>;
  let accounts: Mocked<UsersService>;
  /** The promotion's one transaction. */
  const manager = {} as EntityManager;

  beforeEach(async () => {
    const transaction = (work: (manager: EntityManager) => unknown) => work(manager);
    const { sut, mock } = await newTestService(AdminAccountSeed, [{ provide: DataSource, useValue: { transaction } }]);
    seed = sut;
    users = mock(UserRepository);
    accounts = mock(UsersService);
  });

  it('creates the administrator, address verified, when the address is free', async () => {
    users.findByEmail.mockResolvedValue(null);
    accounts.create.mockResolvedValue(account({ role: 'admin' }));
    await expect(seed.ensureAdmin(EMAIL, PASSWORD)).resolves.toMatchObject({ outcome: 'created' });
    expect(accounts.create).toHaveBeenCalledWith({
      email: EMAIL,
      password: PASSWORD,
      firstName: 'Admin',
      lastName: 'User',
      role: 'admin',
      emailVerified: true,
    });
  });

  it('leaves an existing admin as it is, reactivating it if need be', async () => {
    users.findByEmail.mockResolvedValue(account({ role: 'admin', isActive: false }));
    const { user, outcome } = await seed.ensureAdmin(EMAIL, PASSWORD);
    expect(outcome).toBe('present');
    expect(user.isActive).toBe(true);
    expect(users.updateAdminFields).toHaveBeenCalledWith('u-1', { isActive: true });
    expect(accounts.setPassword).not.toHaveBeenCalled();
  });

  it('never promotes an account of another role unless asked', async () => {
    users.findByEmail.mockResolvedValue(account({}));
    await expect(seed.ensureAdmin(EMAIL, PASSWORD)).resolves.toMatchObject({ outcome: 'taken' });
    expect(users.updateAdminFields).not.toHaveBeenCalled();
    expect(accounts.hashNewPassword).not.toHaveBeenCalled();
  });

  it("promotes when asked, taking every way in of the former holder away in the promotion's transaction", async () => {
    const existing = account({});
    users.findByEmail.mockResolvedValue(existing);
    accounts.hashNewPassword.mockResolvedValue('new-hash');
    accounts.setPassword.mockResolvedValue(account({ role: 'admin' }));
    const removeWaysIn = jest.fn().mockResolvedValue(undefined);
    await expect(seed.ensureAdmin(EMAIL, PASSWORD, true, removeWaysIn)).resolves.toMatchObject({
      outcome: 'promoted',
      user: { role: 'admin' },
    });
    expect(accounts.hashNewPassword).toHaveBeenCalledWith(PASSWORD, existing, 'password');
    expect(users.updateAdminFields).toHaveBeenCalledWith('u-1', { role: 'admin', isActive: true }, manager);
    expect(accounts.markEmailVerified).toHaveBeenCalledWith('u-1', manager);
    expect(removeWaysIn).toHaveBeenCalledWith('u-1', manager);
    expect(accounts.setPassword).toHaveBeenCalledWith('u-1', 'new-hash', manager);
  });
});
