import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { User } from './entities/user.entity';
import { userFromRow, UserRow } from './entities/user-row';

const ACCESS_CHECK_SQL = `
  SELECT u.id, u.email, u.first_name, u.last_name, u.password_hash, u.role, u.is_active,
         u.email_verified_at, u.token_version, u.last_login_at, u.mfa_enabled, u.passkey_count,
         u.created_at, u.updated_at
    FROM users u
    JOIN sessions s ON s.user_id = u.id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
     AND s.revoked_at IS NULL AND s.expires_at > $4`;

/** The reads that decide whether a token still grants access to an account; they never write. */
@Injectable()
export class AccountAccess {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly clock: Clock,
  ) {}

  /**
   * The hot path: one round trip that accepts an access token only if its user exists and is active,
   * its version is current, and its session is neither revoked nor expired. Plain SQL: the query
   * builder's per-call SQL generation cost more than the query itself.
   */
  async userOfAccessToken(userId: string, sessionId: string, tokenVersion: number): Promise<User | null> {
    const rows = (await this.users.query(ACCESS_CHECK_SQL, [
      userId,
      sessionId,
      tokenVersion,
      this.clock.now(),
    ])) as UserRow[];
    return rows.length > 0 ? userFromRow(rows[0]) : null;
  }

  /** The account a refresh token rotates into, read in the rotation's transaction; null once deactivated. */
  async activeUser(userId: string, manager: EntityManager): Promise<User | null> {
    const user = await manager.withRepository(this.users).findOneBy({ id: userId });
    return user?.isActive ? user : null;
  }
}
