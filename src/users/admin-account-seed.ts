import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { User } from './entities/user.entity';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/** What the seed found on ADMIN_EMAIL and did about it. */
export type AdminSeedOutcome = 'created' | 'present' | 'promoted' | 'taken';

const SEED_ADMIN_NAME = { firstName: 'Admin', lastName: 'User' };

/** The seed's administrator account (`npm run db -- seed`, and the tests' signed-in admins). */
@Injectable()
export class AdminAccountSeed {
  constructor(
    private readonly users: UserRepository,
    private readonly accounts: UsersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Created once, an existing admin left as it is (reactivated if need be). An account of another role
   * on that address is never promoted as it stands (its owner chose the password and never proved the
   * address): 'taken', unless the operator asks to promote it; `removeWaysIn` then takes away what
   * users/ cannot see (second factors, passkeys), in the promotion's transaction.
   */
  async ensureAdmin(
    email: string,
    password: string,
    promote = false,
    removeWaysIn: (userId: string, manager: EntityManager) => Promise<void> = async () => undefined,
  ): Promise<{ user: User; outcome: AdminSeedOutcome }> {
    const existing = await this.users.findByEmail(email);
    if (!existing) {
      const user = await this.accounts.create({
        email,
        password,
        ...SEED_ADMIN_NAME,
        role: 'admin',
        emailVerified: true,
      });
      return { user, outcome: 'created' };
    }
    if (existing.role === 'admin') {
      if (!existing.isActive) await this.users.updateAdminFields(existing.id, { isActive: true });
      return { user: { ...existing, isActive: true }, outcome: 'present' };
    }
    if (!promote) return { user: existing, outcome: 'taken' };
    const passwordHash = await this.accounts.hashNewPassword(password, existing, 'password');
    // One transaction: the account becomes the operator's, and nothing its former holder had survives:
    // sessions, pending mfaTokens and mailed links end with the new password (setPassword), and the
    // second factors and passkeys the holder chose go (removeWaysIn), or they would still sign in.
    const user = await this.dataSource.transaction(async (manager) => {
      await this.users.updateAdminFields(existing.id, { role: 'admin', isActive: true }, manager);
      await this.accounts.markEmailVerified(existing.id, manager);
      await removeWaysIn(existing.id, manager);
      return this.accounts.setPassword(existing.id, passwordHash, manager);
    });
    return { user, outcome: 'promoted' };
  }
}
