import { Clock } from '../../common/clock';
import { SecurityLogger } from '../../security/security-logger';
import { User } from '../../users/entities/user.entity';
import { AccountBannedException, AccountStanding } from '../../users/standing/account-standing';
import { SignInEligibility } from './sign-in-eligibility';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const account = (changes: Partial<User> = {}): User =>
  ({ id: 'u-1', isActive: true, banReason: null, bannedUntil: null, ...changes }) as User;

describe('SignInEligibility', () => {
  const security = { warn: jest.fn() } as unknown as SecurityLogger;
  const eligibility = new SignInEligibility(new AccountStanding({ now: () => NOW } as Clock, security));

  it('lets an active account sign in', () => {
    expect(eligibility.refusal(account())).toBeUndefined();
  });

  it('refuses a deactivated account, naming why', () => {
    expect(eligibility.refusal(account({ isActive: false }))).toBe('inactive');
  });

  it('answers a ban in force with its own 403, and lets the account in once the ban has ended', () => {
    const until = new Date(NOW.getTime() + 60_000);
    expect(() => eligibility.refusal(account({ banReason: 'spam', bannedUntil: until }))).toThrow(
      AccountBannedException,
    );
    expect(() => eligibility.refusal(account({ banReason: 'spam', bannedUntil: null }))).toThrow(
      AccountBannedException,
    );
    expect(eligibility.refusal(account({ banReason: 'spam', bannedUntil: NOW }))).toBeUndefined();
  });
});
