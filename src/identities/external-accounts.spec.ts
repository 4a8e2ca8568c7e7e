import type { IDToken } from 'openid-client';
import { OidcProviderSetting } from '../config/oidc.config';
import { namesOf, verifiedEmail } from './external-accounts';

const TRUSTED: OidcProviderSetting = {
  id: 'p',
  name: 'P',
  issuer: 'https://p.example',
  clientId: 'c',
  scopes: ['openid'],
  trustEmailVerified: true,
};

function claims(extra: Record<string, unknown>): IDToken {
  return { iss: 'https://p.example', sub: 's', aud: 'c', exp: 0, iat: 0, ...extra } as IDToken;
}

describe('verifiedEmail', () => {
  it('takes an email the provider verified, normalised', () => {
    expect(verifiedEmail(TRUSTED, claims({ email: ' Ada@Example.COM ', email_verified: true }))).toBe(
      'ada@example.com',
    );
  });

  it.each([
    ['unverified', { email: 'a@example.com', email_verified: false }],
    ['verified as text, not true', { email: 'a@example.com', email_verified: 'true' }],
    ['no email', { email_verified: true }],
    ['not an email', { email: 'nope', email_verified: true }],
    ['an invisible character', { email: 'a\u200b@example.com', email_verified: true }],
  ])('refuses %s', (_label, extra) => {
    expect(verifiedEmail(TRUSTED, claims(extra))).toBeUndefined();
  });

  it('refuses every email from a provider not trusted for it', () => {
    const untrusted = { ...TRUSTED, trustEmailVerified: false };
    expect(verifiedEmail(untrusted, claims({ email: 'a@example.com', email_verified: true }))).toBeUndefined();
  });
});

describe('namesOf', () => {
  it('prefers given and family names', () => {
    expect(namesOf(claims({ given_name: 'Ada', family_name: 'L', name: 'X' }), 'a@b.c')).toMatchObject({
      firstName: 'Ada',
      lastName: 'L',
    });
  });

  it('falls back to name, then to the local part, cut to 100 characters', () => {
    expect(namesOf(claims({ name: 'Grace Hopper' }), 'a@b.c').firstName).toBe('Grace Hopper');
    expect(namesOf(claims({}), 'ada.l@b.c')).toMatchObject({ firstName: 'ada.l', lastName: '' });
    expect(namesOf(claims({ name: 'n'.repeat(150) }), 'a@b.c').firstName).toHaveLength(100);
  });
});
