import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-actions';
import { AuditTrail } from '../audit/audit-trail';
import { ProblemException } from '../common/problem-details/problem.exception';
import { AuthConfig } from '../config/auth.config';
import { MetricsService } from '../metrics/metrics.service';
import { KnownDevices } from '../notifications/known-devices';
import { SecurityNotifications } from '../notifications/security-notifications';
import { LockoutService } from '../security/lockout/lockout.service';
import { SecurityLogger } from '../security/security-logger';
import { hasInvisibleCharacters, normaliseEmail } from '../common/email-address';
import { User } from '../users/entities/user.entity';
import { AccountAccess } from '../users/account-access';
import { ProofAttempts } from '../users/proof-attempts';
import { NewUser, UsersService } from '../users/users.service';
import { EmailVerificationService } from './email-tokens/email-verification.service';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { PasswordHasher } from '../passwords/password-hasher';
import { ClientInfo, SessionsService } from '../sessions/sessions.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { MFA_METHODS, MfaChallenges, MfaMethod } from '../mfa/mfa-challenges';

/** A signed-in client: what login, refresh and password change hand back. */
export interface SignedIn {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresAt: Date;
}

/** The audit action of a completed sign-in, by the proof that completed it. */
export type SignInAction = Extract<AuditAction, 'login.succeeded' | 'mfa.succeeded' | 'passkey.signed_in'>;

/** What the sign-in's audit row says of the proof: the passkey used, or the second factor's method. */
export type SignInDetails = { passkeyId: string } | { method: MfaMethod } | { method: 'oidc'; provider: string };

/** The one answer to every failed sign-in step (password or second factor). */
export const LOGIN_FAILED = 'The email or password is incorrect';

/** A right password for an account with a second factor: no tokens yet, the code comes next. */
export interface MfaRequired {
  mfaRequired: true;
  mfaToken: string;
  methods: MfaMethod[];
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the email is unknown, so that answer takes as long as a wrong password. */
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly accountAccess: AccountAccess,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly hasher: PasswordHasher,
    private readonly security: SecurityLogger,
    private readonly config: AuthConfig,
    private readonly lockout: LockoutService,
    private readonly metrics: MetricsService,
    private readonly verification: EmailVerificationService,
    private readonly mfaChallenges: MfaChallenges,
    private readonly audit: AuditTrail,
    private readonly knownDevices: KnownDevices,
    private readonly notifications: SecurityNotifications,
    private readonly proofs: ProofAttempts,
  ) {}

  onModuleInit(): void {
    // Computed at start, off the event loop, so the first unknown-email login is not the slow one.
    this.dummyHashValue().catch(() => undefined);
  }

  /**
   * The account and its verification mail are committed together: no account without its mail. The
   * registering device counts as seen, so signing in from it right after mails nothing.
   */
  async register(input: NewUser, client: ClientInfo): Promise<User> {
    const user = await this.users.createWith(
      { ...input, role: 'user', emailVerified: false },
      async (created, manager) => {
        await this.audit.record(manager, { action: 'user.registered', actorId: null, targetUserId: created.id });
        await this.knownDevices.remember(created.id, client.userAgent, manager);
        await this.verification.queue(created, manager);
      },
    );
    this.verification.queued(user);
    return user;
  }

  /** Unknown email, wrong password and deactivated account: one answer, about one duration. */
  async login(email: string, password: string, client: ClientInfo): Promise<SignedIn | MfaRequired> {
    const normalised = normaliseEmail(email);
    // Reserved before hashing, so that concurrent guesses cannot all get a verdict before one is counted.
    await this.lockout.reserve(normalised);
    let settled = false;
    let user: User | null;
    try {
      user = hasInvisibleCharacters(email) ? null : await this.users.findByEmail(normalised);
      const passwordOk = await this.hasher.verify(password, user?.passwordHash || (await this.dummyHashValue()));
      if (!user || !passwordOk || !user.isActive) {
        settled = true;
        const locked = await this.lockout.settleFailure(normalised, client.ipAddress);
        await this.recordLoginFailure(normalised, user, user && passwordOk ? 'inactive' : 'bad_credentials', locked);
        this.metrics.loginAttempt('failure');
        this.security.warn('auth_attempt', { success: false, email: normalised, ip_address: client.ipAddress });
        throw new UnauthorizedProblem(LOGIN_FAILED);
      }
      if (this.config.requireEmailVerification && !user.emailVerifiedAt) {
        await this.recordLoginFailure(normalised, user, 'email_unverified', false);
        this.metrics.loginAttempt('failure');
        this.security.warn('auth_attempt', {
          success: false,
          email: normalised,
          ip_address: client.ipAddress,
          reason: 'unverified',
        });
        throw new ProblemException(403, 'The email address of this account is not verified yet');
      }
      settled = true;
      // Half a sign-in does not clear the failures: the attempt goes back to the budget, and only a
      // completed second step (POST /user/auth/mfa) resets the count.
      if (user.mfaEnabled) await this.lockout.release(normalised);
      else await this.lockout.settleSuccess(normalised);
    } finally {
      // No verdict (unverified address, a database error): the attempt goes back to the budget. If that
      // fails too, the lockout gives it back before its next reservation (or it lapses after 60 s).
      if (!settled) await this.lockout.release(normalised).catch(() => undefined);
    }
    if (user.mfaEnabled) return this.secondFactorDue(user, client);
    return this.startSession(user, client, {
      action: 'login.succeeded',
      upgradedHash: await this.users.upgradedHash(user, password),
    });
  }

  private async secondFactorDue(user: User, client: ClientInfo): Promise<MfaRequired> {
    const mfaToken = await this.mfaChallenges.begin(user);
    this.security.event('mfa_challenge_issued', { user_id: user.id, email: user.email, ip_address: client.ipAddress });
    return { mfaRequired: true, mfaToken, methods: [...MFA_METHODS] };
  }

  /**
   * The last step of every sign-in (password, second factor, passkey): the user proved who they are;
   * a session starts and tokens are issued, and the audit row names how. `upgradedHash` replaces an
   * outdated password hash. A device not seen on the account for 90 days mails its owner.
   */
  async startSession(
    user: User,
    client: ClientInfo,
    { action, upgradedHash, details }: { action: SignInAction; upgradedHash?: string; details?: SignInDetails },
  ): Promise<SignedIn> {
    // One commit for the login's writes: under a login flood each commit's flush to disk, not
    // bcrypt, was what kept requests waiting.
    const started = await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.recordLogin(user, upgradedHash, manager))) return undefined;
      const session = await this.sessions.start(user.id, client, manager);
      await this.audit.record(manager, {
        action,
        actorId: user.id,
        targetUserId: user.id,
        client,
        details: { ...details, sessionId: session.session.id },
      });
      const seen = await this.knownDevices.signIn(user.id, client.userAgent, manager);
      if (seen.isNew)
        await this.notifications.queue(manager, user, { event: 'new_device', device: seen.device }, client);
      return { ...session, newDevice: seen.isNew };
    });
    if (!started) throw new UnauthorizedProblem(LOGIN_FAILED);
    if (started.newDevice) this.notifications.sent();
    this.metrics.loginAttempt('success');
    this.security.event('auth_attempt', {
      success: true,
      email: user.email,
      user_id: user.id,
      ip_address: client.ipAddress,
    });
    return this.signedIn(user, started.session.id, started.refreshToken, started.refreshExpiresAt);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<SignedIn> {
    const result = await this.sessions.rotate(refreshToken, (userId, manager) =>
      this.accountAccess.activeUser(userId, manager),
    );
    if (result.outcome !== 'rotated')
      this.metrics.tokenRejected(result.outcome === 'reused' ? 'refresh_reused' : 'refresh_invalid');
    if (result.outcome === 'reused') {
      this.security.warn('refresh_reuse', {
        user_id: result.session.userId,
        session_id: result.session.id,
        ip_address: client.ipAddress,
      });
      throw new UnauthorizedProblem('This refresh token was already used; the session has been ended');
    }
    if (result.outcome === 'invalid') throw new UnauthorizedProblem('The refresh token is invalid or expired');
    return this.signedIn(result.owner, result.session.id, result.refreshToken, result.refreshExpiresAt);
  }

  /** Ends the session named by the access token, else by the refresh token; silent when neither names one. */
  async logout(accessToken: string | undefined, refreshToken: string | undefined, ip?: string): Promise<void> {
    let sessionId = accessToken ? this.accessTokens.claimsIgnoringExpiry(accessToken)?.sid : undefined;
    if (!sessionId && refreshToken) sessionId = await this.sessions.sessionIdOfRefreshToken(refreshToken);
    if (sessionId && (await this.sessions.logout(sessionId))) {
      this.security.event('logout', { session_id: sessionId, ip_address: ip });
    }
  }

  async logoutAll(user: User, ip?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.users.invalidateAllTokens(user.id, 'logout_all', manager);
      await this.audit.record(manager, { action: 'logout_all', actorId: user.id, targetUserId: user.id });
    });
    this.security.event('logout_all', { user_id: user.id, ip_address: ip });
  }

  /** Every earlier token stops working; this client gets a fresh session, in the same transaction. */
  async changePassword(
    user: User,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<SignedIn> {
    const context = { user, route: 'POST /user/me/password', ipAddress: client.ipAddress };
    if (!(await this.proofs.passwordMatches(context, currentPassword))) {
      throw new ProblemException(400, 'The current password is incorrect', [
        { field: 'currentPassword', message: 'currentPassword is incorrect' },
      ]);
    }
    const passwordHash = await this.users.hashNewPassword(newPassword, user, 'newPassword');
    const { updated, started } = await this.dataSource.transaction(async (manager) => {
      const changed = await this.users.setPassword(user.id, passwordHash, manager);
      await this.audit.record(manager, { action: 'password.changed', actorId: user.id, targetUserId: user.id, client });
      await this.notifications.queue(manager, user, { event: 'password_changed' }, client);
      return { updated: changed, started: await this.sessions.start(user.id, client, manager) };
    });
    this.notifications.sent();
    this.security.event('password_changed', { user_id: user.id, ip_address: client.ipAddress });
    return this.signedIn(updated, started.session.id, started.refreshToken, started.refreshExpiresAt);
  }

  async deleteAccount(user: User, password: string, ip?: string): Promise<void> {
    if (!(await this.proofs.passwordMatches({ user, route: 'DELETE /user/me', ipAddress: ip }, password))) {
      throw new ProblemException(400, 'The password is incorrect', [
        { field: 'password', message: 'password is incorrect' },
      ]);
    }
    await this.users.delete(user.id, { action: 'account.deleted', actorId: user.id });
    this.security.event('account_deleted', { user_id: user.id, ip_address: ip });
  }

  /** A failed login changes nothing, so its row commits on its own; with the lock it started, two rows. */
  private async recordLoginFailure(email: string, user: User | null, reason: string, locked: boolean): Promise<void> {
    const target = user?.id ?? null;
    const failed = { action: 'login.failed', actorId: null, targetUserId: target, details: { email, reason } } as const;
    if (!locked) return this.audit.recordFailure(failed);
    await this.audit.recordTogether([
      { ...failed, outcome: 'failure' },
      { action: 'account.locked', actorId: null, targetUserId: target, details: { email } },
    ]);
  }

  private async dummyHashValue(): Promise<string> {
    this.dummyHash ??= this.hasher.hash('an unguessable dummy password that no account has');
    return this.dummyHash;
  }

  private signedIn(user: User, sessionId: string, refreshToken: string, refreshExpiresAt: Date): SignedIn {
    const { accessToken, expiresIn } = this.accessTokens.sign({ sub: user.id, sid: sessionId, ver: user.tokenVersion });
    return { user, accessToken, refreshToken, expiresIn, refreshExpiresAt };
  }
}
