import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { ProblemException } from '../common/problem-details/problem.exception';
import { Mocked, newTestService } from '../common/testing/automock';
import { MetricsService } from '../metrics/metrics.service';
import { KnownDeviceRepository } from '../notifications/known-device.repository';
import { SecurityLogger } from '../security/security-logger';
import { Session } from '../sessions/entities/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokenService } from '../tokens/access-token.service';
import { AccountAccess } from '../users/account-access';
import { User } from '../users/entities/user.entity';
import { ProofAttempts } from '../users/proof-attempts';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { EmailVerificationService } from './email-tokens/email-verification.service';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { SessionIssuer, SignedIn } from './sign-in/session-issuer';

const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'Firefox' };
const MANAGER = {} as EntityManager;
const USER = { id: 'u-1', email: 'jane@example.com', tokenVersion: 1 } as User;
const SESSION = { id: 's-1', userId: 'u-1' } as Session;
const ISSUED = { session: SESSION, refreshToken: 'next', refreshExpiresAt: new Date('2026-12-20') };
const SIGNED_IN = { accessToken: 'access' } as SignedIn;
const NEW_USER = { email: 'jane@example.com', password: 'pw', firstName: 'Jane', lastName: 'Doe' };

describe('AuthService', () => {
  let auth: AuthService;
  let users: Mocked<UsersService>;
  let sessions: Mocked<SessionsService>;
  let issuer: Mocked<SessionIssuer>;
  let proofs: Mocked<ProofAttempts>;
  let audit: Mocked<AuditTrail>;
  let security: Mocked<SecurityLogger>;
  let metrics: Mocked<MetricsService>;
  let accessTokens: Mocked<AccessTokenService>;
  let knownDevices: Mocked<KnownDeviceRepository>;
  let verification: Mocked<EmailVerificationService>;
  let accountAccess: Mocked<AccountAccess>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(AuthService);
    auth = sut;
    knownDevices = mock(KnownDeviceRepository);
    verification = mock(EmailVerificationService);
    accountAccess = mock(AccountAccess);
    users = mock(UsersService);
    sessions = mock(SessionsService);
    issuer = mock(SessionIssuer);
    proofs = mock(ProofAttempts);
    audit = mock(AuditTrail);
    security = mock(SecurityLogger);
    metrics = mock(MetricsService);
    accessTokens = mock(AccessTokenService);
    mock(DataSource).transaction.mockImplementation(((work: (manager: EntityManager) => unknown) =>
      work(MANAGER)) as never);
    issuer.signedIn.mockResolvedValue(SIGNED_IN);
  });

  describe('register', () => {
    it('creates an unverified user and, in its transaction, the audit row, the known device and the mail', async () => {
      users.createWith.mockImplementation(async (_input, alsoInTransaction) => {
        await alsoInTransaction(USER, MANAGER);
        return USER;
      });
      await expect(auth.register({ ...NEW_USER }, CLIENT)).resolves.toBe(USER);
      expect(users.createWith.mock.calls[0][0]).toEqual({
        ...NEW_USER,
        role: 'user',
        emailVerified: false,
      });
      expect(audit.record).toHaveBeenCalledWith(MANAGER, expect.objectContaining({ action: 'user.registered' }));
      expect(knownDevices.remember).toHaveBeenCalledWith('u-1', 'Firefox', MANAGER);
      expect(verification.queue).toHaveBeenCalledWith(USER, MANAGER);
      expect(verification.queued).toHaveBeenCalledWith(USER);
    });
  });

  describe('refresh', () => {
    it('hands out the rotated pair of an active owner', async () => {
      sessions.rotate.mockResolvedValue({ outcome: 'rotated', owner: USER, ...ISSUED });
      await expect(auth.refresh('spent-once', CLIENT)).resolves.toBe(SIGNED_IN);
      expect(issuer.signedIn).toHaveBeenCalledWith(USER, expect.objectContaining(ISSUED));
      expect(metrics.tokenRejected).not.toHaveBeenCalled();
    });

    it('reads the owner as active or not inside the rotation', async () => {
      sessions.rotate.mockResolvedValue({ outcome: 'invalid' });
      await auth.refresh('token', CLIENT).catch(() => undefined);
      const activeOwner = sessions.rotate.mock.calls[0][1];
      await activeOwner('u-1', MANAGER);
      expect(accountAccess.activeUser).toHaveBeenCalledWith('u-1', MANAGER);
    });

    it('answers 401 to a spent token, logging the reuse that ended the session', async () => {
      sessions.rotate.mockResolvedValue({ outcome: 'reused', session: SESSION });
      const refused = await auth.refresh('copied', CLIENT).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UnauthorizedProblem);
      expect((refused as ProblemException).detail).toMatch(/already used/);
      expect(metrics.tokenRejected).toHaveBeenCalledWith('refresh_reused');
      expect(security.warn).toHaveBeenCalledWith('refresh_reuse', {
        user_id: 'u-1',
        session_id: 's-1',
        ip_address: CLIENT.ipAddress,
      });
    });

    it('answers 401 to an unknown, expired or idle token', async () => {
      sessions.rotate.mockResolvedValue({ outcome: 'invalid' });
      const refused = await auth.refresh('unknown', CLIENT).catch((error: unknown) => error);
      expect((refused as ProblemException).detail).toMatch(/invalid or expired/);
      expect(metrics.tokenRejected).toHaveBeenCalledWith('refresh_invalid');
      expect(issuer.signedIn).not.toHaveBeenCalled();
    });
  });

  describe('logout', () => {
    it('ends the session named by the access token, even an expired one', async () => {
      accessTokens.claimsIgnoringExpiry.mockResolvedValue({ sub: 'u-1', sid: 's-1', ver: 1 });
      sessions.logout.mockResolvedValue(true);
      await auth.logout('access', 'refresh', '203.0.113.9');
      expect(sessions.logout).toHaveBeenCalledWith('s-1');
      expect(sessions.sessionIdOfRefreshToken).not.toHaveBeenCalled();
      expect(security.event).toHaveBeenCalledWith('logout', { session_id: 's-1', ip_address: '203.0.113.9' });
    });

    it('falls back to the refresh token when the access token names no session of ours', async () => {
      accessTokens.claimsIgnoringExpiry.mockResolvedValue(undefined);
      sessions.sessionIdOfRefreshToken.mockResolvedValue('s-2');
      sessions.logout.mockResolvedValue(true);
      await auth.logout('forged', 'refresh');
      expect(sessions.logout).toHaveBeenCalledWith('s-2');
    });

    it('is silent when nothing names a session, or the session had already ended', async () => {
      await auth.logout(undefined, undefined);
      expect(sessions.logout).not.toHaveBeenCalled();
      sessions.sessionIdOfRefreshToken.mockResolvedValue('s-2');
      sessions.logout.mockResolvedValue(false);
      await auth.logout(undefined, 'refresh');
      expect(security.event).not.toHaveBeenCalled();
    });
  });

  describe('account changes', () => {
    it('refuses a wrong current password with a field error and changes nothing', async () => {
      proofs.passwordMatches.mockResolvedValue(false);
      const refused = await auth.changePassword(USER, 'wrong', 'new-pw', CLIENT).catch((error: unknown) => error);
      expect((refused as ProblemException).getStatus()).toBe(400);
      expect((refused as ProblemException).fieldErrors).toEqual([
        { field: 'currentPassword', message: 'currentPassword is incorrect' },
      ]);
      expect(users.setPassword).not.toHaveBeenCalled();
    });

    it('changes the password and starts this client a new session in one transaction', async () => {
      proofs.passwordMatches.mockResolvedValue(true);
      users.hashNewPassword.mockResolvedValue('new-hash');
      users.setPassword.mockResolvedValue(USER);
      sessions.start.mockResolvedValue(ISSUED);
      await expect(auth.changePassword(USER, 'right', 'new-pw', CLIENT)).resolves.toBe(SIGNED_IN);
      expect(users.setPassword).toHaveBeenCalledWith('u-1', 'new-hash', MANAGER);
      expect(sessions.start).toHaveBeenCalledWith('u-1', CLIENT, MANAGER);
      expect(issuer.signedIn).toHaveBeenCalledWith(USER, ISSUED);
    });

    it('deletes no account without its password', async () => {
      proofs.passwordMatches.mockResolvedValue(false);
      await expect(auth.deleteAccount(USER, 'wrong')).rejects.toBeInstanceOf(ProblemException);
      expect(users.delete).not.toHaveBeenCalled();
    });
  });
});
