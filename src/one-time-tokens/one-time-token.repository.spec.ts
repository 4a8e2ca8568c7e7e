import { EntityManager, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { hashOpaqueToken } from '../tokens/opaque-token';
import { OneTimeToken } from './entities/one-time-token.entity';
import { OneTimeTokenRepository, TOKEN_LIFETIME_MS } from './one-time-token.repository';

const NOW = new Date('2026-12-06T10:00:00.000Z');

function tableDouble() {
  return {
    insert: jest.fn().mockResolvedValue(undefined),
    update: jest.fn().mockResolvedValue({ affected: 1 }),
    findOne: jest.fn<Promise<OneTimeToken | null>, []>(),
  };
}

describe('OneTimeTokenRepository', () => {
  const setUp = () => {
    const inside = tableDouble();
    const outside = tableDouble();
    const manager = { withRepository: () => inside } as unknown as EntityManager;
    const clock = { now: () => NOW } as Clock;
    const tokens = new OneTimeTokenRepository(outside as unknown as Repository<OneTimeToken>, clock);
    return { tokens, inside, outside, manager };
  };

  it("issues a token for its purpose's lifetime, voiding the user's earlier live ones of that purpose", async () => {
    const { tokens, inside, outside, manager } = setUp();
    const token = await tokens.issue('u-1', 'reset_password', manager);
    const live = { usedAt: IsNull(), expiresAt: MoreThan(NOW) };
    expect(inside.update).toHaveBeenCalledWith(
      { userId: 'u-1', purpose: 'reset_password', ...live },
      { expiresAt: NOW },
    );
    expect(inside.insert).toHaveBeenCalledWith(
      expect.objectContaining({
        userId: 'u-1',
        purpose: 'reset_password',
        tokenHash: hashOpaqueToken(token),
        expiresAt: new Date(NOW.getTime() + TOKEN_LIFETIME_MS.reset_password),
        usedAt: null,
      }),
    );
    expect(outside.insert).not.toHaveBeenCalled();
  });

  it('voids every mailed link of the user but the secure-account ones, unless the account was secured', async () => {
    const { tokens, inside, manager } = setUp();
    const live = { usedAt: IsNull(), expiresAt: MoreThan(NOW) };
    await tokens.voidAllForUser('u-1', manager);
    expect(inside.update).toHaveBeenLastCalledWith(
      { userId: 'u-1', purpose: Not('secure_account'), ...live },
      { expiresAt: NOW },
    );
    await tokens.voidEveryToken('u-1', manager);
    expect(inside.update).toHaveBeenLastCalledWith({ userId: 'u-1', ...live }, { expiresAt: NOW });
  });

  it('finds a usable token under lock, and nothing for a spent or expired one', async () => {
    const { tokens, inside, manager } = setUp();
    const stored = { id: 't-1', usedAt: null, expiresAt: new Date(NOW.getTime() + 1) } as OneTimeToken;
    inside.findOne.mockResolvedValue(stored);
    await expect(tokens.findUsable('presented', 'verify_email', manager)).resolves.toBe(stored);
    expect(inside.findOne).toHaveBeenCalledWith({
      where: { tokenHash: hashOpaqueToken('presented'), purpose: 'verify_email' },
      lock: { mode: 'pessimistic_write' },
    });
    inside.findOne.mockResolvedValue({ ...stored, usedAt: NOW });
    await expect(tokens.findUsable('presented', 'verify_email', manager)).resolves.toBeNull();
    inside.findOne.mockResolvedValue({ ...stored, expiresAt: NOW });
    await expect(tokens.findUsable('presented', 'verify_email', manager)).resolves.toBeNull();
  });
});
