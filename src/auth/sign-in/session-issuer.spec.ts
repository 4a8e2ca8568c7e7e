import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Mocked, newTestService } from '../../common/testing/automock';
import { MetricsService } from '../../metrics/metrics.service';
import { KnownDeviceRepository } from '../../notifications/known-device.repository';
import { SecurityNotifications } from '../../notifications/security-notifications';
import { SecurityLogger } from '../../security/security-logger';
import { Session } from '../../sessions/entities/session.entity';
import { IssuedRefreshToken, SessionsService } from '../../sessions/sessions.service';
import { AccessTokenService } from '../../tokens/access-token.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { SessionIssuer } from './session-issuer';

const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'Firefox' };
const USER = { id: 'u-1', email: 'jane@example.com', tokenVersion: 3 } as User;
const MANAGER = {} as EntityManager;
const ISSUED: IssuedRefreshToken = {
  session: { id: 's-1' } as Session,
  refreshToken: 'refresh',
  refreshExpiresAt: new Date('2026-12-20T00:00:00Z'),
};

describe('SessionIssuer', () => {
  let issuer: SessionIssuer;
  let users: Mocked<UsersService>;
  let sessions: Mocked<SessionsService>;
  let audit: Mocked<AuditTrail>;
  let devices: Mocked<KnownDeviceRepository>;
  let notifications: Mocked<SecurityNotifications>;
  let metrics: Mocked<MetricsService>;
  let security: Mocked<SecurityLogger>;
  let accessTokens: Mocked<AccessTokenService>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(SessionIssuer);
    issuer = sut;
    users = mock(UsersService);
    sessions = mock(SessionsService);
    audit = mock(AuditTrail);
    devices = mock(KnownDeviceRepository);
    notifications = mock(SecurityNotifications);
    metrics = mock(MetricsService);
    security = mock(SecurityLogger);
    const dataSource = mock(DataSource);
    dataSource.transaction.mockImplementation(((work: (manager: EntityManager) => unknown) => work(MANAGER)) as never);
    accessTokens = mock(AccessTokenService);
    accessTokens.sign.mockResolvedValue({ accessToken: 'access', expiresIn: 900 });
    users.recordLogin.mockResolvedValue(true);
    sessions.start.mockResolvedValue(ISSUED);
    devices.signIn.mockResolvedValue({ device: 'Firefox on Linux', isNew: false });
  });

  it('starts a session in one transaction and hands back its tokens', async () => {
    await expect(issuer.start(USER, CLIENT, { action: 'login.succeeded', upgradedHash: 'new-hash' })).resolves.toEqual({
      user: USER,
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
      refreshExpiresAt: ISSUED.refreshExpiresAt,
    });
    expect(users.recordLogin).toHaveBeenCalledWith(USER, 'new-hash', MANAGER);
    expect(sessions.start).toHaveBeenCalledWith('u-1', CLIENT, MANAGER);
    expect(metrics.loginAttempt).toHaveBeenCalledWith('success');
    expect(security.event).toHaveBeenCalledWith('auth_attempt', expect.objectContaining({ success: true }));
  });

  it('signs the access token for the user, the new session and the token version it saw', async () => {
    const signed = await issuer.signedIn(USER, ISSUED);
    expect(signed.accessToken).toBe('access');
    expect(accessTokens.sign).toHaveBeenCalledWith({ sub: 'u-1', sid: 's-1', ver: 3 });
  });

  it('names in the audit row how the user signed in, and the session it started', async () => {
    await issuer.start(USER, CLIENT, { action: 'passkey.signed_in', details: { passkeyId: 'pk-1' } });
    expect(audit.record).toHaveBeenCalledWith(MANAGER, {
      action: 'passkey.signed_in',
      actorId: 'u-1',
      targetUserId: 'u-1',
      client: CLIENT,
      details: { passkeyId: 'pk-1', sessionId: 's-1' },
    });
  });

  it('mails the owner about a device new to the account, once the sign-in committed', async () => {
    devices.signIn.mockResolvedValue({ device: 'Firefox on Linux', isNew: true });
    await issuer.start(USER, CLIENT, { action: 'login.succeeded' });
    expect(notifications.queue).toHaveBeenCalledWith(
      MANAGER,
      USER,
      { event: 'new_device', device: 'Firefox on Linux' },
      CLIENT,
    );
    expect(notifications.sent).toHaveBeenCalled();
  });

  it('mails nothing for a device the account knows', async () => {
    await issuer.start(USER, CLIENT, { action: 'login.succeeded' });
    expect(notifications.queue).not.toHaveBeenCalled();
    expect(notifications.sent).not.toHaveBeenCalled();
  });

  it('starts nothing for an account changed since its proof was checked, answering like a failed login', async () => {
    users.recordLogin.mockResolvedValue(false);
    await expect(issuer.start(USER, CLIENT, { action: 'mfa.succeeded' })).rejects.toBeInstanceOf(UnauthorizedProblem);
    expect(sessions.start).not.toHaveBeenCalled();
    expect(metrics.loginAttempt).not.toHaveBeenCalled();
  });
});
