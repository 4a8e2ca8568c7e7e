import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { Mocked, newTestService } from '../common/testing/automock';
import { AuthConfig } from '../config/auth.config';
import { hashOpaqueToken } from '../tokens/opaque-token';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const DAY = 86_400_000;
const CLIENT = { ipAddress: '203.0.113.9', userAgent: 'Firefox' };
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

/** A live session, last used a minute ago, unless told otherwise. */
const liveSession = (changes: Partial<Session> = {}): Session =>
  ({
    id: 's-1',
    userId: 'u-1',
    revokedAt: null,
    expiresAt: days(20),
    lastUsedAt: new Date(NOW.getTime() - 60_000),
    ...changes,
  }) as Session;

describe('SessionsService', () => {
  let service: SessionsService;
  let sessions: Mocked<SessionRepository>;
  let refreshTokens: Mocked<RefreshTokenRepository>;
  let config: Pick<AuthConfig, 'sessionMaxDays' | 'refreshTokenExpireDays' | 'sessionIdleMinutes'>;
  let audit: Mocked<AuditTrail>;
  /** The one transaction the DataSource opens. */
  const manager = {} as EntityManager;

  beforeEach(async () => {
    config = { sessionMaxDays: 30, refreshTokenExpireDays: 7, sessionIdleMinutes: 0 };
    const transaction = (work: (manager: EntityManager) => unknown) => work(manager);
    const { sut, mock } = await newTestService(SessionsService, [
      { provide: DataSource, useValue: { transaction, manager } },
      { provide: AuthConfig, useValue: config },
      { provide: Clock, useValue: { now: () => NOW } },
    ]);
    service = sut;
    sessions = mock(SessionRepository);
    refreshTokens = mock(RefreshTokenRepository);
    audit = mock(AuditTrail);
    sessions.insert.mockImplementation((fields) => Promise.resolve({ id: 's-1', ...fields } as Session));
    sessions.end.mockResolvedValue([{ id: 's-1', user_id: 'u-1', impersonator_id: null }]);
  });

  const storedToken = (changes: Partial<RefreshToken> = {}, session = liveSession()) =>
    sessions.lockRefreshToken.mockResolvedValue({
      id: 'rt-1',
      expiresAt: days(5),
      spentAt: null,
      session,
      ...changes,
    } as RefreshToken);
  const activeOwner = jest.fn((userId: string) => Promise.resolve({ id: userId }));

  describe('start', () => {
    it('starts a session proven now that ends after SESSION_MAX_DAYS, with a refresh token of its own', async () => {
      const issued = await service.start('u-1', CLIENT);
      expect(sessions.insert).toHaveBeenCalledWith(
        expect.objectContaining({ userId: 'u-1', authenticatedAt: NOW, lastUsedAt: NOW, expiresAt: days(30) }),
        undefined,
      );
      expect(issued.refreshExpiresAt).toEqual(days(7));
      expect(refreshTokens.insert).toHaveBeenCalledWith(
        { sessionId: 's-1', tokenHash: hashOpaqueToken(issued.refreshToken), expiresAt: days(7) },
        undefined,
      );
    });

    it('never lets a refresh token outlive its session', async () => {
      config.sessionMaxDays = 3;
      expect((await service.start('u-1', CLIENT)).refreshExpiresAt).toEqual(days(3));
    });

    it('keeps at most 45 characters of the address and 512 of the user agent', async () => {
      await service.start('u-1', { ipAddress: 'a'.repeat(60), userAgent: 'b'.repeat(600) });
      expect(sessions.insert).toHaveBeenCalledWith(
        expect.objectContaining({ ipAddress: 'a'.repeat(45), userAgent: 'b'.repeat(512) }),
        undefined,
      );
    });
  });

  describe('rotate', () => {
    it('spends the token and issues the next one of the same session for its active owner', async () => {
      storedToken();
      const result = await service.rotate('presented', activeOwner);
      expect(result).toMatchObject({ outcome: 'rotated', owner: { id: 'u-1' }, session: { id: 's-1' } });
      expect(sessions.lockRefreshToken).toHaveBeenCalledWith(hashOpaqueToken('presented'), manager);
      expect(refreshTokens.markSpent).toHaveBeenCalledWith('rt-1', NOW, manager);
      expect(sessions.markUsed).toHaveBeenCalledWith('s-1', NOW, manager);
      expect(refreshTokens.insert).toHaveBeenCalledTimes(1);
      expect(refreshTokens.insert).toHaveBeenCalledWith(expect.objectContaining({ sessionId: 's-1' }), manager);
    });

    it('finds nothing for an unknown token', async () => {
      sessions.lockRefreshToken.mockResolvedValue(null);
      await expect(service.rotate('unknown', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
    });

    it('refuses an expired token, and any token of an ended or expired session', async () => {
      storedToken({ expiresAt: NOW });
      await expect(service.rotate('old', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      storedToken({}, liveSession({ revokedAt: days(-1) }));
      await expect(service.rotate('ended', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      storedToken({}, liveSession({ expiresAt: NOW }));
      await expect(service.rotate('expired', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      expect(refreshTokens.markSpent).not.toHaveBeenCalled();
    });

    it('ends the whole session when a spent token comes back, and records the reuse', async () => {
      storedToken({ spentAt: days(-1) });
      await expect(service.rotate('copied', activeOwner)).resolves.toMatchObject({ outcome: 'reused' });
      expect(sessions.end).toHaveBeenCalledWith({ id: 's-1' }, 'refresh_reuse', NOW, manager);
      expect(audit.record).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ action: 'refresh.reuse_detected', outcome: 'failure', actorId: null }),
      );
      expect(refreshTokens.insert).not.toHaveBeenCalled();
    });

    it('ends an idle session for good instead of rotating it', async () => {
      config.sessionIdleMinutes = 30;
      storedToken({}, liveSession({ lastUsedAt: new Date(NOW.getTime() - 31 * 60_000) }));
      await expect(service.rotate('idle', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      expect(sessions.end).toHaveBeenCalledWith({ id: 's-1' }, 'idle_timeout', NOW, manager);
    });

    it('spends nothing for an owner who may no longer use the session (deactivated)', async () => {
      storedToken();
      await expect(service.rotate('presented', () => Promise.resolve(null))).resolves.toEqual({ outcome: 'invalid' });
      expect(refreshTokens.markSpent).not.toHaveBeenCalled();
    });
  });

  describe('logout', () => {
    it('ends a live session and records the logout with it', async () => {
      await expect(service.logout('s-1')).resolves.toBe(true);
      expect(audit.record).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ action: 'logout', actorId: 'u-1', details: { sessionId: 's-1' } }),
      );
    });

    it('records nothing for a session that had already ended', async () => {
      sessions.end.mockResolvedValue([]);
      await expect(service.logout('s-1')).resolves.toBe(false);
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('revoking', () => {
    it("records the end of an impersonation as its administrator's act, in the caller's transaction", async () => {
      sessions.end.mockResolvedValue([{ id: 's-2', user_id: 'u-1', impersonator_id: 'admin-1' }]);
      await service.revokeAllForUser('u-1', 'password_changed', manager);
      expect(sessions.end).toHaveBeenCalledWith(
        [{ userId: 'u-1' }, { impersonatorId: 'u-1' }],
        'password_changed',
        NOW,
        manager,
      );
      expect(audit.record).toHaveBeenCalledWith(manager, {
        action: 'admin.impersonation_ended',
        actorId: 'admin-1',
        targetUserId: 'u-1',
        details: { sessionId: 's-2', reason: 'password_changed' },
      });
    });

    it('records nothing more when an ordinary session ends', async () => {
      await expect(service.revoke('s-1', 'user_revoked')).resolves.toBe(true);
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('purgeEnded', () => {
    it('deletes expired refresh tokens, then sessions ended more than the days kept', async () => {
      sessions.purgeEndedBefore.mockResolvedValue(4);
      await expect(service.purgeEnded(30)).resolves.toBe(4);
      expect(refreshTokens.purgeExpired).toHaveBeenCalledWith(NOW);
      expect(sessions.purgeEndedBefore).toHaveBeenCalledWith(days(-30));
    });
  });
});
