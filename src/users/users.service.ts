import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PasswordHasher } from '../auth/passwords/password-hasher.service';
import { PasswordPolicy } from '../auth/passwords/password-policy.service';
import { normaliseEmail } from './email-address';
import { User, UserRole } from './entities/user.entity';
import { EmailTakenException, isUniqueViolation, WeakPasswordException } from './users.errors';

export interface NewUser {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  role?: UserRole;
  emailVerified?: boolean;
}

/** The only code that writes the users table. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** Refuses a password the policy rejects, naming the request field it came from. */
  assertAcceptablePassword(
    password: string,
    owner: Pick<User, 'email' | 'firstName' | 'lastName'>,
    field: string,
  ): void {
    const problem = this.policy.problem(password, owner);
    if (problem) throw new WeakPasswordException(field, problem);
  }

  /** Creates an account; the unique index on lower(email) decides races (409, never 500). */
  async create(input: NewUser, manager: EntityManager = this.users.manager): Promise<User> {
    const email = normaliseEmail(input.email);
    this.assertAcceptablePassword(input.password, { ...input, email }, 'password');
    const user = manager.create(User, {
      email,
      firstName: input.firstName,
      lastName: input.lastName,
      passwordHash: await this.hasher.hash(input.password),
      role: input.role ?? 'user',
      emailVerifiedAt: input.emailVerified ? new Date() : null,
    });
    try {
      return await manager.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenException();
      throw error;
    }
  }

  /** The seed's administrator: created once; an existing account is made an active admin. */
  async ensureAdmin(email: string, password: string): Promise<{ user: User; created: boolean }> {
    const existing = await this.findByEmail(email);
    if (existing) {
      if (existing.role !== 'admin' || !existing.isActive) {
        await this.users.update({ id: existing.id }, { role: 'admin', isActive: true });
      }
      return { user: { ...existing, role: 'admin', isActive: true }, created: false };
    }
    const user = await this.create({
      email,
      firstName: 'Admin',
      lastName: 'User',
      password,
      role: 'admin',
      emailVerified: true,
    });
    return { user, created: true };
  }
}
