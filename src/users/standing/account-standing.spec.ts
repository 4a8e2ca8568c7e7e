import { Clock } from '../../common/clock';
import { SecurityLogger } from '../../security/security-logger';
import { AccountBannedException, AccountStanding, banInForce } from './account-standing';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const clock = { now: () => NOW } as Clock;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

describe('AccountStanding', () => {
  const warn = jest.fn();
  const standing = new AccountStanding(clock, { warn } as unknown as SecurityLogger);
  beforeEach(() => warn.mockClear());

  it('lets an account without a ban sign in, and logs nothing', () => {
    expect(() => standing.assertMaySignIn({ id: 'u-1', banReason: null, bannedUntil: null })).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a ban without an end with 403 account_banned and until null', () => {
    const refusal = (() => {
      try {
        standing.assertMaySignIn({ id: 'u-1', banReason: 'spam', bannedUntil: null }, '203.0.113.9');
      } catch (error) {
        return error as AccountBannedException;
      }
    })();
    expect(refusal).toBeInstanceOf(AccountBannedException);
    expect(refusal?.getStatus()).toBe(403);
    expect(refusal?.extensions).toEqual({ code: 'account_banned', until: null });
    expect(warn).toHaveBeenCalledWith('auth_attempt', expect.objectContaining({ reason: 'banned', user_id: 'u-1' }));
  });

  it('names the end of a ban that has one', () => {
    const until = at(60_000);
    expect(() => standing.assertMaySignIn({ id: 'u-1', banReason: 'spam', bannedUntil: until })).toThrow(
      expect.objectContaining({ extensions: { code: 'account_banned', until: until.toISOString() } }) as Error,
    );
  });

  it('holds a ban up to its end and lifts it from that moment on, by comparison with the clock', () => {
    expect(banInForce({ banReason: 'spam', bannedUntil: at(1) }, NOW)).toBe(true);
    expect(banInForce({ banReason: 'spam', bannedUntil: NOW }, NOW)).toBe(false);
    expect(standing.isBanned({ banReason: 'spam', bannedUntil: at(-1) })).toBe(false);
  });
});
