import { isAccessClaims } from './access-claims';

const NOW = 1_796_000_000;
const CLAIMS = {
  sub: '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77',
  sid: '5f0b8a4e-2c1d-4e3f-8a9b-0c1d2e3f4a5b',
  ver: 0,
  iat: NOW,
  exp: NOW + 900,
};
const ADMIN = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('isAccessClaims', () => {
  it('accepts an ordinary token without act, and an impersonation token whose act is { sub: <uuid> }', () => {
    expect(isAccessClaims(CLAIMS, NOW)).toBe(true);
    expect(isAccessClaims({ ...CLAIMS, act: { sub: ADMIN } }, NOW)).toBe(true);
  });

  it('refuses an act claim of any other shape, so that a malformed actor is never read as no actor', () => {
    for (const act of [null, ADMIN, [ADMIN], {}, { sub: 'admin' }, { sub: ADMIN, act: { sub: ADMIN } }]) {
      expect(isAccessClaims({ ...CLAIMS, act }, NOW)).toBe(false);
    }
  });
});
