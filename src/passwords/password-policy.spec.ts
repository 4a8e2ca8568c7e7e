import { AuthConfig } from '../config/auth.config';
import { PasswordPolicy } from './password-policy';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy(Object.assign(new AuthConfig(), { passwordMinScore: 2 }));
  const owner = { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe' };

  it.each(['SecurePass123!', 'Correct Horse Battery Staple', 'Adm1n-Str0ng-Passphrase'])('accepts %s', (password) => {
    expect(policy.problem(password, owner)).toBeUndefined();
  });

  it.each(['password', 'Password1!', 'qwerty123456', 'P@ssw0rd!'])('refuses the common %s', (password) => {
    expect(policy.problem(password, owner)).toMatch(/^is too easy to guess/);
  });

  it('counts length in code points, 8 to 128', () => {
    expect(policy.problem('\u{1F600}'.repeat(7), owner)).toMatch(/at least 8/);
    expect(
      policy.problem('\u{1F600}\u{1F431}\u{1F680}\u{1F308}\u{1F34E}\u{1F3B8}\u{1F40D}\u{1F9ED}', owner),
    ).toBeUndefined();
    expect(policy.problem('Zq8!'.repeat(33), owner)).toMatch(/at most 128/);
  });

  it('counts code points after NFC normalisation', () => {
    // Seven accented letters typed decomposed are 14 code points, but 7 characters once composed.
    expect(policy.problem('\u00e9\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2'.normalize('NFD'), owner)).toMatch(/at least 8/);
  });

  it('refuses the email and its local part, whatever the case', () => {
    expect(policy.problem('JOHN.DOE@EXAMPLE.COM', owner)).toBe('must not be your email address');
    expect(policy.problem('John.Doe', owner)).toBe('must not be your email address');
  });

  it("uses the owner's details as known inputs", () => {
    expect(policy.problem('johndoe1985', { ...owner, email: 'johndoe1985@example.org' })).toBeDefined();
  });
});
