import { SignInEligibility } from './sign-in-eligibility';

describe('SignInEligibility', () => {
  const eligibility = new SignInEligibility();

  it('lets an active account sign in', () => {
    expect(eligibility.refusal({ isActive: true })).toBeUndefined();
  });

  it('refuses a deactivated account, naming why', () => {
    expect(eligibility.refusal({ isActive: false })).toBe('inactive');
  });
});
