import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { Session } from './entities/session.entity';
import { SessionRepository } from './session.repository';

const AT = new Date('2026-12-06T10:00:00.000Z');

type UpdateQuery = Record<'update' | 'set' | 'where' | 'returning' | 'execute', jest.Mock>;

/** An UPDATE ... RETURNING query builder that records what it was given and returns `raw`. */
function updateQuery(raw: unknown[]): UpdateQuery {
  const query = {} as UpdateQuery;
  for (const step of ['update', 'set', 'where', 'returning'] as const) query[step] = jest.fn(() => query);
  query.execute = jest.fn().mockResolvedValue({ raw });
  return query;
}

function tableDouble() {
  return {
    create: jest.fn((fields: Partial<Session>) => fields),
    save: jest.fn((fields: Partial<Session>) => Promise.resolve({ id: 's-1', ...fields })),
    update: jest.fn().mockResolvedValue({ affected: 1 }),
  };
}

describe('SessionRepository', () => {
  const setUp = () => {
    const ended = [{ id: 's-1', user_id: 'u-1', impersonator_id: null }];
    const insideQuery = updateQuery(ended);
    const outsideQuery = updateQuery(ended);
    const inside = tableDouble();
    const outside = { ...tableDouble(), manager: { createQueryBuilder: () => outsideQuery } };
    const manager = { withRepository: () => inside, createQueryBuilder: () => insideQuery } as unknown as EntityManager;
    const sessions = new SessionRepository(outside as unknown as Repository<Session>);
    return { sessions, inside, outside, manager, insideQuery, outsideQuery, ended };
  };

  it('ends only live sessions, any of a list of conditions, and returns those it ended', async () => {
    const { sessions, manager, insideQuery, outsideQuery, ended } = setUp();
    const where = [{ userId: 'u-1' }, { impersonatorId: 'u-1' }];
    await expect(sessions.end(where, 'deactivated', AT, manager)).resolves.toEqual(ended);
    expect(insideQuery.update).toHaveBeenCalledWith(Session);
    expect(insideQuery.set).toHaveBeenCalledWith({ revokedAt: AT, revokedReason: 'deactivated' });
    expect(insideQuery.where).toHaveBeenCalledWith([
      { userId: 'u-1', revokedAt: IsNull() },
      { impersonatorId: 'u-1', revokedAt: IsNull() },
    ]);
    expect(insideQuery.returning).toHaveBeenCalledWith('id, user_id, impersonator_id');
    expect(outsideQuery.execute).not.toHaveBeenCalled();
  });

  it('ends a single condition as a list of one, on the pool when no transaction is given', async () => {
    const { sessions, insideQuery, outsideQuery } = setUp();
    await sessions.end({ userId: 'u-1', id: Not('s-2') }, 'mfa_changed', AT);
    expect(outsideQuery.where).toHaveBeenCalledWith([{ userId: 'u-1', id: Not('s-2'), revokedAt: IsNull() }]);
    expect(insideQuery.execute).not.toHaveBeenCalled();
  });

  it("writes through the caller's transaction when given its manager, and never outside it", async () => {
    const { sessions, inside, outside, manager } = setUp();
    const fields = {
      userId: 'u-1',
      lastUsedAt: AT,
      authenticatedAt: AT,
      ipAddress: null,
      userAgent: null,
      expiresAt: AT,
      revokedAt: null,
      revokedReason: null,
    };
    await expect(sessions.insert(fields, manager)).resolves.toMatchObject({ id: 's-1', userId: 'u-1' });
    await sessions.markUsed('s-1', AT, manager);
    expect(inside.save).toHaveBeenCalledWith(fields);
    expect(inside.update).toHaveBeenCalledWith({ id: 's-1' }, { lastUsedAt: AT });
    expect(outside.save).not.toHaveBeenCalled();
    expect(outside.update).not.toHaveBeenCalled();
  });

  it('marks a reauthentication only on a live session, and says whether it did', async () => {
    const { sessions, inside, manager } = setUp();
    await expect(sessions.markAuthenticated('s-1', AT, manager)).resolves.toBe(true);
    expect(inside.update).toHaveBeenCalledWith({ id: 's-1', revokedAt: IsNull() }, { authenticatedAt: AT });
    inside.update.mockResolvedValueOnce({ affected: 0 });
    await expect(sessions.markAuthenticated('s-1', AT, manager)).resolves.toBe(false);
  });
});
