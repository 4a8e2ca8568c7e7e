import { getRepositoryToken } from '@nestjs/typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { Mocked, newTestService } from '../common/testing/automock';
import { AuthConfig } from '../config/auth.config';
import { hashOpaqueToken } from '../tokens/opaque-token';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
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

/** The Repository methods SessionsService uses, over one transaction manager that hands them back. */
function repositories() {
  const stored = { getOne: jest.fn<Promise<RefreshToken | null>, []>() };
  const lookup = { innerJoinAndSelect: () => lookup, where: () => lookup, setLock: () => lookup, ...stored };
  const revoking = { execute: jest.fn().mockResolvedValue({ raw: [{ user_id: 'u-1' }] }) };
  const revoke = { update: () => revoke, set: () => revoke, where: () => revoke, returning: () => revoking };
  const manager = {
    withRepository: <T>(repository: T) => repository,
    createQueryBuilder: () => revoke,
    transaction: (work: (manager: unknown) => unknown) => work(manager),
  };
  const sessions = {
    create: (fields: Partial<Session>) => fields,
    save: jest.fn((fields: Partial<Session>) => Promise.resolve({ id: 's-1', ...fields })),
    update: jest.fn().mockResolvedValue({ affected: 1 }),
    manager,
  };
  const refreshTokens = {
    insert: jest.fn().mockResolvedValue(undefined),
    update: jest.fn().mockResolvedValue({ affected: 1 }),
    createQueryBuilder: () => lookup,
  };
  return { sessions, refreshTokens, stored, revoking };
}

describe('SessionsService', () => {
  let service: SessionsService;
  let repos: ReturnType<typeof repositories>;
  let config: Pick<AuthConfig, 'sessionMaxDays' | 'refreshTokenExpireDays' | 'sessionIdleMinutes'>;
  let audit: Mocked<AuditTrail>;

  beforeEach(async () => {
    repos = repositories();
    config = { sessionMaxDays: 30, refreshTokenExpireDays: 7, sessionIdleMinutes: 0 };
    const { sut, mock } = await newTestService(SessionsService, [
      { provide: getRepositoryToken(Session), useValue: repos.sessions },
      { provide: getRepositoryToken(RefreshToken), useValue: repos.refreshTokens },
      { provide: AuthConfig, useValue: config },
      { provide: Clock, useValue: { now: () => NOW } },
    ]);
    service = sut;
    audit = mock(AuditTrail);
  });

  const storedToken = (changes: Partial<RefreshToken> = {}, session = liveSession()) =>
    repos.stored.getOne.mockResolvedValue({
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
      expect(repos.sessions.save).toHaveBeenCalledWith(
        expect.objectContaining({ userId: 'u-1', authenticatedAt: NOW, lastUsedAt: NOW, expiresAt: days(30) }),
      );
      expect(issued.refreshExpiresAt).toEqual(days(7));
      expect(repos.refreshTokens.insert).toHaveBeenCalledWith({
        sessionId: 's-1',
        tokenHash: hashOpaqueToken(issued.refreshToken),
        expiresAt: days(7),
        spentAt: null,
      });
    });

    it('never lets a refresh token outlive its session', async () => {
      config.sessionMaxDays = 3;
      expect((await service.start('u-1', CLIENT)).refreshExpiresAt).toEqual(days(3));
    });

    it('keeps at most 45 characters of the address and 512 of the user agent', async () => {
      await service.start('u-1', { ipAddress: 'a'.repeat(60), userAgent: 'b'.repeat(600) });
      expect(repos.sessions.save).toHaveBeenCalledWith(
        expect.objectContaining({ ipAddress: 'a'.repeat(45), userAgent: 'b'.repeat(512) }),
      );
    });
  });

  describe('rotate', () => {
    it('spends the token and issues the next one of the same session for its active owner', async () => {
      storedToken();
      const result = await service.rotate('presented', activeOwner);
      expect(result).toMatchObject({ outcome: 'rotated', owner: { id: 'u-1' }, session: { id: 's-1' } });
      expect(repos.refreshTokens.update).toHaveBeenCalledWith({ id: 'rt-1' }, { spentAt: NOW });
      expect(repos.sessions.update).toHaveBeenCalledWith({ id: 's-1' }, { lastUsedAt: NOW });
      expect(repos.refreshTokens.insert).toHaveBeenCalledTimes(1);
    });

    it('finds nothing for an unknown token', async () => {
      repos.stored.getOne.mockResolvedValue(null);
      await expect(service.rotate('unknown', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
    });

    it('refuses an expired token, and any token of an ended or expired session', async () => {
      storedToken({ expiresAt: NOW });
      await expect(service.rotate('old', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      storedToken({}, liveSession({ revokedAt: days(-1) }));
      await expect(service.rotate('ended', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      storedToken({}, liveSession({ expiresAt: NOW }));
      await expect(service.rotate('expired', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      expect(repos.refreshTokens.update).not.toHaveBeenCalled();
    });

    it('ends the whole session when a spent token comes back, and records the reuse', async () => {
      storedToken({ spentAt: days(-1) });
      await expect(service.rotate('copied', activeOwner)).resolves.toMatchObject({ outcome: 'reused' });
      expect(repos.sessions.update).toHaveBeenCalledWith(expect.objectContaining({ id: 's-1' }), {
        revokedAt: NOW,
        revokedReason: 'refresh_reuse',
      });
      expect(audit.record).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ action: 'refresh.reuse_detected', outcome: 'failure', actorId: null }),
      );
      expect(repos.refreshTokens.insert).not.toHaveBeenCalled();
    });

    it('ends an idle session for good instead of rotating it', async () => {
      config.sessionIdleMinutes = 30;
      storedToken({}, liveSession({ lastUsedAt: new Date(NOW.getTime() - 31 * 60_000) }));
      await expect(service.rotate('idle', activeOwner)).resolves.toEqual({ outcome: 'invalid' });
      expect(repos.sessions.update).toHaveBeenCalledWith(expect.objectContaining({ id: 's-1' }), {
        revokedAt: NOW,
        revokedReason: 'idle_timeout',
      });
    });

    it('spends nothing for an owner who may no longer use the session (deactivated)', async () => {
      storedToken();
      await expect(service.rotate('presented', () => Promise.resolve(null))).resolves.toEqual({ outcome: 'invalid' });
      expect(repos.refreshTokens.update).not.toHaveBeenCalled();
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
      repos.revoking.execute.mockResolvedValue({ raw: [] });
      await expect(service.logout('s-1')).resolves.toBe(false);
      expect(audit.record).not.toHaveBeenCalled();
    });
  });
});
