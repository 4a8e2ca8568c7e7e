import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ReauthenticationRequired } from './reauthentication-required.exception';
import { RecentProof } from './recent-proof';
import { RecentProofGuard } from './recent-proof.guard';
import { RequiresRecentAuth } from './requires-recent-auth.decorator';

const NOW = new Date('2026-12-06T10:00:00.000Z');

class PasskeysController {
  @RequiresRecentAuth()
  options(): void {}

  @RequiresRecentAuth({ firstStepLiveMs: 300_000 })
  register(): void {}

  list(): void {}
}

function contextOf(handler: keyof PasskeysController, user?: unknown): ExecutionContext {
  return {
    getClass: () => PasskeysController,
    getHandler: () => PasskeysController.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('RecentProofGuard', () => {
  const asked: { sessionId: string; moment: Date }[] = [];
  const proof = {
    now: () => NOW,
    requireAt: (sessionId: string, moment: Date) => {
      asked.push({ sessionId, moment });
      return Promise.resolve();
    },
  } as unknown as RecentProof;
  const guard = new RecentProofGuard(new Reflector(), proof);
  beforeEach(() => (asked.length = 0));

  it('asks nothing on a route without @RequiresRecentAuth()', async () => {
    await expect(guard.canActivate(contextOf('list', { sessionId: 's-1' }))).resolves.toBe(true);
    expect(asked).toEqual([]);
  });

  it("checks the caller's session against now on a plain route", async () => {
    await expect(guard.canActivate(contextOf('options', { sessionId: 's-1' }))).resolves.toBe(true);
    expect(asked).toEqual([{ sessionId: 's-1', moment: NOW }]);
  });

  it('on a second step, against the earliest moment a still-live first step could have been made', async () => {
    await guard.canActivate(contextOf('register', { sessionId: 's-1' }));
    expect(asked).toEqual([{ sessionId: 's-1', moment: new Date(NOW.getTime() - 300_000) }]);
  });

  it('refuses a request that carries no session', async () => {
    await expect(guard.canActivate(contextOf('options', undefined))).rejects.toBeInstanceOf(ReauthenticationRequired);
    expect(asked).toEqual([]);
  });
});
