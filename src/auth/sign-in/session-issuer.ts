import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction } from '../../audit/audit-actions';
import { AuditTrail } from '../../audit/audit-trail';
import { MetricsService } from '../../metrics/metrics.service';
import { MfaMethod } from '../../mfa/mfa-challenges';
import { KnownDeviceRepository } from '../../notifications/known-device.repository';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { ClientInfo, IssuedRefreshToken, SessionsService } from '../../sessions/sessions.service';
import { AccessTokenService } from '../../tokens/access-token.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { LOGIN_FAILED } from './sign-in-failures';

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

export interface SessionStart {
  action: SignInAction;
  /** Replaces an outdated password hash, in the sign-in's own transaction. */
  upgradedHash?: string;
  details?: SignInDetails;
}

/**
 * The last step of every sign-in method: the user proved who they are, so a session starts and its
 * tokens are issued. Also the tokens of a rotated or re-issued session (refresh, password change).
 */
@Injectable()
export class SessionIssuer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly audit: AuditTrail,
    private readonly knownDevices: KnownDeviceRepository,
    private readonly notifications: SecurityNotifications,
    private readonly metrics: MetricsService,
    private readonly security: SecurityLogger,
  ) {}

  /**
   * The audit row names how the user signed in. A device not seen on the account for 90 days mails its
   * owner. An account changed since its proof was checked (deactivated, every session ended, a new
   * password) starts nothing: the answer is that of a failed login.
   */
  async start(user: User, client: ClientInfo, { action, upgradedHash, details }: SessionStart): Promise<SignedIn> {
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
    return this.signedIn(user, started);
  }

  /** An access token for the session, beside its refresh token. */
  async signedIn(user: User, { session, refreshToken, refreshExpiresAt }: IssuedRefreshToken): Promise<SignedIn> {
    const { accessToken, expiresIn } = await this.accessTokens.sign({
      sub: user.id,
      sid: session.id,
      ver: user.tokenVersion,
    });
    return { user, accessToken, refreshToken, expiresIn, refreshExpiresAt };
  }
}
