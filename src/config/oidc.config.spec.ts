import { InvalidSettingsError, loadSettings } from './settings';
import { parseOidcProviders } from './oidc.config';

const GOOGLE = { id: 'google', name: 'Google', issuer: 'https://accounts.google.com', clientId: 'abc' };

function problemsOf(value: unknown): string[] {
  try {
    loadSettings({ OIDC_PROVIDERS: JSON.stringify(value) });
  } catch (error) {
    return (error as InvalidSettingsError).message.split('\n');
  }
  return [];
}

describe('OIDC_PROVIDERS', () => {
  it('defaults to no provider', () => {
    expect(loadSettings({}).oidc.providers).toEqual([]);
  });

  it('fills the defaults: scopes openid email profile, trustEmailVerified true', () => {
    expect(parseOidcProviders(JSON.stringify([GOOGLE]))).toEqual([
      { ...GOOGLE, clientSecret: undefined, scopes: ['openid', 'email', 'profile'], trustEmailVerified: true },
    ]);
  });

  it('reports every problem on a line of its own, each naming the setting', () => {
    const problems = problemsOf([
      { ...GOOGLE, id: 'Google!', issuer: 'http://accounts.google.com', extra: 1 },
      { ...GOOGLE, scopes: ['email'], trustEmailVerified: 'yes' },
      { ...GOOGLE, name: '' },
    ]);
    expect(problems).toEqual([
      'OIDC_PROVIDERS [0] has an unknown key "extra"',
      'OIDC_PROVIDERS [0].id must be lower-case letters, digits and dashes (at most 40)',
      'OIDC_PROVIDERS [0].issuer must be an https URL without query or fragment (http only on localhost)',
      'OIDC_PROVIDERS [1].scopes must be an array of scope names that includes "openid"',
      'OIDC_PROVIDERS [1].trustEmailVerified must be true or false',
      'OIDC_PROVIDERS [2].id "google" is used twice',
      'OIDC_PROVIDERS [2].name must be text of 1 to 100 characters',
    ]);
  });

  it('refuses what is not a JSON array', () => {
    expect(problemsOf({ id: 'x' })).toEqual(['OIDC_PROVIDERS must be a JSON array of providers']);
    expect(() => loadSettings({ OIDC_PROVIDERS: '[{' })).toThrow(/^OIDC_PROVIDERS must be a JSON array/);
  });

  it('accepts an http issuer on a loopback host only', () => {
    expect(problemsOf([{ ...GOOGLE, issuer: 'http://127.0.0.1:4000' }])).toEqual([]);
    expect(problemsOf([{ ...GOOGLE, issuer: 'http://localhost:4000/realms/x' }])).toEqual([]);
    expect(problemsOf([{ ...GOOGLE, issuer: 'http://10.0.0.1' }])).toHaveLength(1);
  });
});
