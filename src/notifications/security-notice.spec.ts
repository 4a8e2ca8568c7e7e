import { noticeWording } from './security-notice';

const UNTIL = new Date('2026-12-06T14:18:30.000Z');

describe('noticeWording for administrators acting on the account', () => {
  it('tells a banned user the end of the ban and the reason given, with no secure-account link', () => {
    const timed = noticeWording({ event: 'account_banned', reason: 'Spam', until: UNTIL }, 'Acme');
    expect(timed).toMatchObject({ subject: 'Your Acme account was banned by an administrator', carriesLink: false });
    expect(timed.what).toContain('until 2026-12-06 14:18 UTC');
    expect(timed.what).toContain('The reason given: Spam');
    expect(noticeWording({ event: 'account_banned', reason: 'Spam', until: null }, 'Acme').what).toContain(
      'until further notice',
    );
  });

  it('tells an impersonated user how long it lasts at most, where to end it, and the reason given', () => {
    const wording = noticeWording({ event: 'impersonation_started', reason: 'Ticket 4521', until: UNTIL }, 'Acme');
    expect(wording.subject).toBe('An administrator is signed in to your Acme account as you');
    expect(wording.what).toContain('until 2026-12-06 14:18 UTC');
    expect(wording.what).toContain('you may end it there');
    expect(wording.what).toContain('The reason given: Ticket 4521');
    expect(wording.carriesLink).toBe(false);
  });
});
