import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { PreparedStatement } from '../database/prepared-statement';
import { User } from './entities/user.entity';
import { userFromRow, UserRow } from './entities/user-row';

/** A timestamp column as whole milliseconds since the epoch: a float8 becomes a Date in one call. */
const epochMs = (column: string): string => `floor(extract(epoch FROM ${column}) * 1000)::float8 AS ${column.slice(2)}`;

/**
 * The timestamps come back as epoch milliseconds, not as text: pg parses timestamptz text with three
 * regular expressions a value (the four of a user were about 1% of GET /user/me's CPU in a profile).
 * Floored, like pg's parser, which drops the microseconds.
 */
const ACCESS_CHECK_SQL = `
  SELECT u.id, u.email, u.first_name, u.last_name, u.password_hash, u.role, u.is_active,
         ${epochMs('u.email_verified_at')}, u.token_version, ${epochMs('u.last_login_at')}, u.mfa_enabled,
         u.passkey_count, ${epochMs('u.created_at')}, ${epochMs('u.updated_at')}
    FROM users u
    JOIN sessions s ON s.user_id = u.id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
     AND s.revoked_at IS NULL AND s.expires_at > $4`;

/** The check's row: a users row whose timestamps are epoch milliseconds. */
type AccessCheckRow = Omit<UserRow, 'email_verified_at' | 'last_login_at' | 'created_at' | 'updated_at'> & {
  email_verified_at: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
};

const dateOrNull = (epochMillis: number | null): Date | null => (epochMillis === null ? null : new Date(epochMillis));

function userOfAccessCheckRow(row: AccessCheckRow): User {
  return userFromRow({
    ...row,
    email_verified_at: dateOrNull(row.email_verified_at),
    last_login_at: dateOrNull(row.last_login_at),
    created_at: new Date(row.created_at),
    updated_at: new Date(row.updated_at),
  });
}

/** The check as a named prepared statement (see PreparedStatement for what that saves). */
const ACCESS_CHECK = new PreparedStatement<AccessCheckRow>('account-access-check', ACCESS_CHECK_SQL);

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
    // An ISO string, which PostgreSQL reads as the timestamptz it is compared with: pg's own Date
    // formatting (local time and offset, field by field) cost more.
    const parameters = [userId, sessionId, tokenVersion, this.clock.now().toISOString()];
    const rows = await ACCESS_CHECK.rows(this.users.manager.connection, parameters);
    return rows.length > 0 ? userOfAccessCheckRow(rows[0]) : null;
  }

  /** The account a refresh token rotates into, read in the rotation's transaction; null once deactivated. */
  async activeUser(userId: string, manager: EntityManager): Promise<User | null> {
    const user = await manager.withRepository(this.users).findOneBy({ id: userId });
    return user?.isActive ? user : null;
  }
}
