import { InvalidSettingsError, loadSettings } from './settings';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof InvalidSettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('WebAuthn settings', () => {
  it('default to the host of APP_URL, APP_NAME, and the APP_URL origin plus CORS_ORIGINS', () => {
    expect(loadSettings({}).webauthn).toMatchObject({
      rpId: 'localhost',
      rpName: 'ClickBit Backend API',
      origins: ['http://localhost:8000'],
    });
    const settings = loadSettings({
      APP_URL: 'https://API.example.com/base',
      APP_NAME: 'Acme',
      CORS_ORIGINS: '["https://app.example.com"]',
    });
    expect(settings.webauthn).toMatchObject({
      rpId: 'api.example.com',
      rpName: 'Acme',
      origins: ['https://api.example.com', 'https://app.example.com'],
    });
  });

  it('take WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME and WEBAUTHN_ORIGINS over the defaults', () => {
    const settings = loadSettings({
      CORS_ORIGINS: '["https://app.example.com"]',
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_ORIGINS: '["https://login.example.com"]',
    });
    expect(settings.webauthn).toMatchObject({
      rpId: 'example.com',
      rpName: 'Example',
      origins: ['https://login.example.com'],
    });
  });

  it('report a bad relying party id or origin list, one line each naming the setting', () => {
    const problems = problemsOf({ WEBAUTHN_RP_ID: 'https://example.com', WEBAUTHN_ORIGINS: '["*"]' });
    expect(problems).toEqual([
      expect.stringMatching(/^WEBAUTHN_RP_ID must be a host name/),
      expect.stringMatching(/^WEBAUTHN_ORIGINS holds "\*"/),
    ]);
  });
});
