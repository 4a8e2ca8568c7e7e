import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { ProblemException } from '../common/problem-details/problem.exception';
import { MetricsService } from '../metrics/metrics.service';
import { KnownDeviceRepository } from '../notifications/known-device.repository';
import { SecurityNotifications } from '../notifications/security-notifications';
import { SecurityLogger } from '../security/security-logger';
import { User } from '../users/entities/user.entity';
import { AccountAccess } from '../users/account-access';
import { ProofAttempts } from '../users/proof-attempts';
import { NewUser, UsersService } from '../users/users.service';
import { EmailVerificationService } from './email-tokens/email-verification.service';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { ClientInfo, SessionsService } from '../sessions/sessions.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { SessionIssuer, SignedIn } from './sign-in/session-issuer';

/**
 * Registration, and what a signed-in client does with its session: refresh, logout, password change,
 * account deletion. Signing in itself is the sign-in protocol's (sign-in/), never reached through here.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly accountAccess: AccountAccess,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly issuer: SessionIssuer,
    private readonly security: SecurityLogger,
    private readonly metrics: MetricsService,
    private readonly verification: EmailVerificationService,
    private readonly audit: AuditTrail,
    private readonly knownDevices: KnownDeviceRepository,
    private readonly notifications: SecurityNotifications,
    private readonly proofs: ProofAttempts,
  ) {}

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
    return this.issuer.signedIn(result.owner, result);
  }

  /** Ends the session named by the access token, else by the refresh token; silent when neither names one. */
  async logout(accessToken: string | undefined, refreshToken: string | undefined, ip?: string): Promise<void> {
    let sessionId = accessToken ? (await this.accessTokens.claimsIgnoringExpiry(accessToken))?.sid : undefined;
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
    return this.issuer.signedIn(updated, started);
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
}
