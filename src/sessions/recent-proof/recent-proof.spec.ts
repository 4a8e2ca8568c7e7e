import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { SessionsService } from '../sessions.service';
import { ReauthenticationRequired } from './reauthentication-required.exception';
import { RecentProof } from './recent-proof';

const AT = new Date('2026-12-06T10:00:00.000Z');
const later = (ms: number): Date => new Date(AT.getTime() + ms);

function recentProof(authenticatedAt: Date | undefined): RecentProof {
  const sessions = { authenticatedAt: () => Promise.resolve(authenticatedAt) } as unknown as SessionsService;
  const config = { reauthMaxAgeSeconds: 300 } as AuthConfig;
  return new RecentProof(sessions, config, new Clock());
}

describe('RecentProof', () => {
  it('accepts a proof up to REAUTH_MAX_AGE_SECONDS old at the moment asked about, and refuses one a millisecond older', async () => {
    await expect(recentProof(AT).requireAt('s-1', later(300_000))).resolves.toBeUndefined();
    await expect(recentProof(AT).requireAt('s-1', later(300_001))).rejects.toBeInstanceOf(ReauthenticationRequired);
  });

  it('counts a proof made after the moment (a reauthentication since a ceremony began) as recent', async () => {
    await expect(recentProof(later(60_000)).requireAt('s-1', AT)).resolves.toBeUndefined();
  });

  it('refuses a session that is not live, with the 403 problem and its code', async () => {
    const refusal = (await recentProof(undefined)
      .requireAt('s-1', AT)
      .catch((error: unknown) => error)) as ReauthenticationRequired;
    expect(refusal).toBeInstanceOf(ReauthenticationRequired);
    expect(refusal.getStatus()).toBe(403);
    expect(refusal.extensions).toEqual({ code: 'reauthentication_required' });
  });
});
