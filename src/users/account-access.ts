import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { PreparedStatement } from '../database/prepared-statement';
import { User, UserRole } from './entities/user.entity';

/** A timestamp column as whole milliseconds since the epoch: a float8 becomes a Date in one call. */
const epochMs = (column: string): string => `floor(extract(epoch FROM ${column}) * 1000)::float8 AS ${column.slice(2)}`;

/**
 * The timestamps come back as epoch milliseconds, not as text: pg parses timestamptz text with three
 * regular expressions a value (the four of a user were about 1% of GET /user/me's CPU in a profile).
 * Floored, like pg's parser, which drops the microseconds.
 */
const USER_COLUMNS = `u.id, u.email, u.first_name, u.last_name, u.password_hash, u.role, u.is_active,
         ${epochMs('u.email_verified_at')}, u.token_version, ${epochMs('u.last_login_at')}, u.mfa_enabled,
         u.passkey_count, ${epochMs('u.banned_until')}, u.ban_reason, ${epochMs('u.created_at')},
         ${epochMs('u.updated_at')}`;

/** A user's own session: never an impersonation session, whose tokens go through the check below. */
const ACCESS_CHECK_SQL = `
  SELECT ${USER_COLUMNS}
    FROM users u
    JOIN sessions s ON s.user_id = u.id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active
     AND s.revoked_at IS NULL AND s.expires_at > $4 AND s.impersonator_id IS NULL`;

/**
 * A token with `act` (impersonation), and only such a token, pays for a second user row: the session
 * must be this administrator's impersonation of a user who is still no admin, active and not banned,
 * and the administrator must still be an active admin without a ban in force (a ban is in force while
 * it has a reason and no end, or an end ahead).
 */
const IMPERSONATION_CHECK_SQL = `
  SELECT ${USER_COLUMNS}, a.email AS impersonator_email
    FROM users u
    JOIN sessions s ON s.user_id = u.id
    JOIN users a ON a.id = s.impersonator_id
   WHERE u.id = $1 AND s.id = $2 AND u.token_version = $3 AND u.is_active AND u.role = 'user'
     AND (u.ban_reason IS NULL OR u.banned_until <= $4)
     AND s.revoked_at IS NULL AND s.expires_at > $4 AND s.impersonator_id = $5
     AND a.role = 'admin' AND a.is_active AND (a.ban_reason IS NULL OR a.banned_until <= $4)`;

/**
 * The check's row as pg hands it over (PreparedStatement.tuples): USER_COLUMNS in their order, the
 * timestamps as epoch milliseconds; the impersonation check adds the administrator's email.
 */
type AccessCheckTuple = [
  id: string,
  email: string,
  firstName: string,
  lastName: string,
  passwordHash: string,
  role: UserRole,
  isActive: boolean,
  emailVerifiedAt: number | null,
  tokenVersion: number,
  lastLoginAt: number | null,
  mfaEnabled: boolean,
  passkeyCount: number,
  bannedUntil: number | null,
  banReason: string | null,
  createdAt: number,
  updatedAt: number,
  impersonatorEmail?: string,
];

const dateOrNull = (epochMillis: number | null): Date | null => (epochMillis === null ? null : new Date(epochMillis));

/** Property by property into the entity: no intermediate row object on the hot path. */
function userOfAccessCheck(t: AccessCheckTuple): User {
  const user = new User();
  user.id = t[0];
  user.email = t[1];
  user.firstName = t[2];
  user.lastName = t[3];
  user.passwordHash = t[4];
  user.role = t[5];
  user.isActive = t[6];
  user.emailVerifiedAt = dateOrNull(t[7]);
  user.tokenVersion = t[8];
  user.lastLoginAt = dateOrNull(t[9]);
  user.mfaEnabled = t[10];
  user.passkeyCount = t[11];
  user.bannedUntil = dateOrNull(t[12]);
  user.banReason = t[13];
  user.createdAt = new Date(t[14]);
  user.updatedAt = new Date(t[15]);
  return user;
}

/** The checks as named prepared statements (see PreparedStatement for what that saves). */
const ACCESS_CHECK = new PreparedStatement('account-access-check', ACCESS_CHECK_SQL);
const IMPERSONATION_CHECK = new PreparedStatement('impersonation-access-check', IMPERSONATION_CHECK_SQL);

/** The administrator acting through an impersonation token. */
export interface Impersonator {
  id: string;
  email: string;
}

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
    const rows = await ACCESS_CHECK.tuples<AccessCheckTuple>(this.users.manager.connection, parameters);
    return rows.length > 0 ? userOfAccessCheck(rows[0]) : null;
  }

  /** The same for an impersonation token (`act.sub` is the administrator): the user and who acts as them. */
  async userOfImpersonationToken(
    userId: string,
    sessionId: string,
    tokenVersion: number,
    impersonatorId: string,
  ): Promise<{ user: User; impersonator: Impersonator } | null> {
    const parameters = [userId, sessionId, tokenVersion, this.clock.now().toISOString(), impersonatorId];
    const rows = await IMPERSONATION_CHECK.tuples<AccessCheckTuple>(this.users.manager.connection, parameters);
    if (rows.length === 0) return null;
    return {
      user: userOfAccessCheck(rows[0]),
      impersonator: { id: impersonatorId, email: rows[0][16] as string },
    };
  }

  /** The account a refresh token rotates into, read in the rotation's transaction; null once deactivated. */
  async activeUser(userId: string, manager: EntityManager): Promise<User | null> {
    const user = await manager.withRepository(this.users).findOneBy({ id: userId });
    return user?.isActive ? user : null;
  }
}
