import { EntityManager, Repository } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';
import { RefreshTokenRepository } from './refresh-token.repository';

const AT = new Date('2026-12-06T10:00:00.000Z');

function tableDouble() {
  return { insert: jest.fn().mockResolvedValue(undefined), update: jest.fn().mockResolvedValue({ affected: 1 }) };
}

describe('RefreshTokenRepository', () => {
  it("stores a new token unspent, and spends it, through the caller's transaction and never outside it", async () => {
    const inside = tableDouble();
    const outside = tableDouble();
    const manager = { withRepository: () => inside } as unknown as EntityManager;
    const tokens = new RefreshTokenRepository(outside as unknown as Repository<RefreshToken>);
    await tokens.insert({ sessionId: 's-1', tokenHash: 'h'.repeat(64), expiresAt: AT }, manager);
    await tokens.markSpent('rt-1', AT, manager);
    expect(inside.insert).toHaveBeenCalledWith({
      sessionId: 's-1',
      tokenHash: 'h'.repeat(64),
      expiresAt: AT,
      spentAt: null,
    });
    expect(inside.update).toHaveBeenCalledWith({ id: 'rt-1' }, { spentAt: AT });
    expect(outside.insert).not.toHaveBeenCalled();
    expect(outside.update).not.toHaveBeenCalled();
  });
});
