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

const PRODUCTION_KEY = 'k7Qp2vX9zL4mN8rT1wY6bH3jF5cD0sGa';
const PRODUCTION_DATABASE = 'postgresql://clickbit:s3cret@db.internal:5432/clickbit';
const GENERATE = 'generate one with `openssl rand -hex 32`';

describe('loadSettings', () => {
  it('gives the documented defaults', () => {
    const settings = loadSettings({});
    expect(settings.app).toMatchObject({
      appName: 'ClickBit Backend API',
      environment: 'development',
      debug: false,
      host: '0.0.0.0',
      port: 8000,
      corsOrigins: [],
      corsAllowCredentials: true,
      trustProxy: false,
      bodyLimitBytes: 1048576,
      requestTimeoutMs: 30000,
      shutdownTimeoutMs: 10000,
    });
    expect(settings.app.origin).toBe('http://localhost:8000');
    expect(settings.app.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(settings.database).toMatchObject({ url: undefined, echo: false, poolSize: 10, dataDir: './data' });
    expect(settings.auth).toMatchObject({
      algorithm: 'ES256',
      keyRotationDays: 30,
      jwksMaxAgeSeconds: 300,
      secretKeyPrevious: [],
      jwtIssuer: 'clickbit-api',
      jwtAudience: 'clickbit-api',
      accessTokenExpireMinutes: 30,
      refreshTokenExpireDays: 7,
      sessionMaxDays: 30,
      cookiePrefix: false,
      bcryptRounds: 12,
      passwordPepper: '',
      passwordMinScore: 2,
      requireEmailVerification: false,
    });
    expect(settings.rateLimit).toMatchObject({
      enabled: true,
      requests: 100,
      window: 3600,
      authRequests: 10,
      authWindow: 60,
      emailRequests: 3,
      emailWindow: 3600,
      lockoutThreshold: 5,
      lockoutWindow: 900,
      lockoutDuration: 900,
      redisUrl: undefined,
    });
    expect(settings.logging).toMatchObject({ level: 'info', dir: 'logs', maxSize: '10M', maxFiles: 14 });
    expect(settings.mail).toMatchObject({ smtpUrl: undefined, mailFrom: 'no-reply@localhost' });
    expect(settings.auth.sessionIdleMinutes).toBe(0);
    expect(settings.auth.reauthMaxAgeSeconds).toBe(300);
    expect(settings.audit).toMatchObject({ retentionDays: 365 });
  });

  it('reads the original service .env values', () => {
    const settings = loadSettings({
      APP_NAME: 'ClickBit Backend API',
      APP_VERSION: '1.0.0',
      DEBUG: 'true',
      CORS_ORIGINS: '["http://localhost:3000", "http://localhost:8080"]',
      LOG_LEVEL: 'WARNING',
      ALGORITHM: 'HS256',
    });
    expect(settings.app.corsOrigins).toEqual(['http://localhost:3000', 'http://localhost:8080']);
    expect(settings.app.debug).toBe(true);
    expect(settings.app.appVersion).toBe('1.0.0');
    expect(settings.logging.level).toBe('warn');
    expect(loadSettings({ LOG_LEVEL: 'critical' }).logging.level).toBe('fatal');
  });

  it('names the setting in one line per problem', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be a number between 1 and 65535']);
    expect(problemsOf({ PORT: '0', DEBUG: 'maybe', LOG_LEVEL: 'loud' })).toEqual([
      'DEBUG must be true or false',
      'PORT must be a number between 1 and 65535',
      'LOG_LEVEL must be one of: trace, debug, info, warn, error, fatal, silent, warning, critical, notset',
    ]);
    expect(problemsOf({ CORS_ORIGINS: '["*"]' })[0]).toMatch(/^CORS_ORIGINS /);
    expect(problemsOf({ CORS_ORIGINS: '["null"]' })[0]).toMatch(/^CORS_ORIGINS /);
    expect(problemsOf({ TRUST_PROXY: 'somewhere' })[0]).toMatch(/^TRUST_PROXY /);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL /);
    expect(problemsOf({ ALGORITHM: 'none' })[0]).toMatch(
      /^ALGORITHM must be one of: ES256, RS256, HS256, HS384, HS512$/,
    );
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '0' })[0]).toMatch(/^AUDIT_RETENTION_DAYS /);
    expect(problemsOf({ SESSION_IDLE_MINUTES: '-5' })[0]).toMatch(/^SESSION_IDLE_MINUTES /);
  });

  it("lists every value LOG_LEVEL accepts in its error, the original's WARNING and CRITICAL included", () => {
    const [line] = problemsOf({ LOG_LEVEL: 'loud' });
    const listed = line.replace('LOG_LEVEL must be one of: ', '').split(', ');
    expect(listed).toEqual(expect.arrayContaining(['warning', 'critical', 'debug', 'info', 'error']));
    for (const value of listed) {
      expect(problemsOf({ LOG_LEVEL: value })).toEqual([]);
      expect(problemsOf({ LOG_LEVEL: value.toUpperCase() })).toEqual([]);
    }
  });

  it('refuses an idle limit shorter than the access-token lifetime in one line, and takes 0 or a longer one', () => {
    expect(problemsOf({ SESSION_IDLE_MINUTES: '1' })).toEqual([
      "SESSION_IDLE_MINUTES must be 0 (off) or at least ACCESS_TOKEN_EXPIRE_MINUTES (30), so that no access token outlives its session's idle limit",
    ]);
    expect(problemsOf({ SESSION_IDLE_MINUTES: '14', ACCESS_TOKEN_EXPIRE_MINUTES: '15' })).toHaveLength(1);
    expect(problemsOf({ SESSION_IDLE_MINUTES: '15', ACCESS_TOKEN_EXPIRE_MINUTES: '15' })).toEqual([]);
    expect(problemsOf({ SESSION_IDLE_MINUTES: '0', ACCESS_TOKEN_EXPIRE_MINUTES: '60' })).toEqual([]);
    // A bad value is reported once, on its own line, not again as a comparison.
    expect(problemsOf({ SESSION_IDLE_MINUTES: '-5' })).toEqual([
      'SESSION_IDLE_MINUTES must be a number between 0 and 525600',
    ]);
    expect(problemsOf({ REAUTH_MAX_AGE_SECONDS: '0' })).toEqual([
      'REAUTH_MAX_AGE_SECONDS must be a number between 1 and 86400',
    ]);
    expect(problemsOf({ IMPERSONATION_MINUTES: '0' })).toEqual([
      'IMPERSONATION_MINUTES must be a number between 1 and 1440',
    ]);
    expect(loadSettings({}).auth.impersonationMinutes).toBe(15);
  });

  it('parses TRUST_PROXY forms', () => {
    expect(loadSettings({ TRUST_PROXY: 'true' }).app.trustProxy).toBe(true);
    expect(loadSettings({ TRUST_PROXY: '2' }).app.trustProxy).toBe(2);
    expect(loadSettings({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).app.trustProxy).toEqual(['10.0.0.1', '10.0.0.0/8']);
  });

  it('enforces the production rules', () => {
    expect(problemsOf({ ENVIRONMENT: 'production' })).toEqual([
      `SECRET_KEY must be set to at least 32 characters in production: ${GENERATE}`,
      'DATABASE_URL is required in production: the embedded database would keep every account inside the ' +
        'container (set it to a postgresql:// URL)',
    ]);
    // An original `.env` has no SMTP_URL: production starts without it, with a warning.
    expect(
      problemsOf({ ENVIRONMENT: 'production', SECRET_KEY: PRODUCTION_KEY, DATABASE_URL: PRODUCTION_DATABASE }),
    ).toEqual([]);
    expect(
      problemsOf({
        ENVIRONMENT: 'production',
        SECRET_KEY: PRODUCTION_KEY,
        DATABASE_URL: PRODUCTION_DATABASE,
        SMTP_URL: 'smtp://mail:25',
        DEBUG: 'true',
        BCRYPT_ROUNDS: '8',
      }),
    ).toEqual(['DEBUG must be false in production', 'BCRYPT_ROUNDS must be at least 10 in production']);
  });
});

describe('production rules for secrets and passwords', () => {
  const production = {
    ENVIRONMENT: 'production',
    SECRET_KEY: PRODUCTION_KEY,
    DATABASE_URL: PRODUCTION_DATABASE,
    SMTP_URL: 'smtp://mail:25',
  };

  it('refuses a SECRET_KEY of fewer than 10 distinct characters, however long', () => {
    expect(problemsOf({ ...production, SECRET_KEY: 'x'.repeat(64) })).toEqual([
      `SECRET_KEY must contain at least 10 distinct characters in production: ${GENERATE}`,
    ]);
    expect(problemsOf({ ...production, SECRET_KEY: 'abcdefghi'.repeat(4) })).toHaveLength(1);
    expect(problemsOf({ ...production, SECRET_KEY: 'abcdefghij'.repeat(4) })).toEqual([]);
    expect(problemsOf({ SECRET_KEY: 'x'.repeat(32) })).toEqual([]);
  });

  it('reports a short SECRET_KEY in one line, in production as elsewhere', () => {
    expect(problemsOf({ ...production, SECRET_KEY: 'too-short' })).toEqual([
      `SECRET_KEY must be set to at least 32 characters in production: ${GENERATE}`,
    ]);
    expect(problemsOf({ SECRET_KEY: 'too-short' })).toEqual([
      'SECRET_KEY must be at least 16 characters (32 or more recommended)',
    ]);
  });

  it("refuses the original .env's placeholder and any value marked to be changed, in one line", () => {
    const placeholder = `SECRET_KEY is a published placeholder, so anyone could sign tokens with it: ${GENERATE}`;
    for (const secret of [
      'your-secret-key-here-generate-with-openssl-rand-hex-32',
      'CHANGE-ME-to-at-least-32-random-characters',
      'prefix-ChangeMe-0123456789abcdefghijklmnop',
      'k7Qp2vX9zL4mN8rT1wY6-change-me-bH3jF5cD0sGa',
      'YOUR-SECRET-0123456789abcdefghijklmnopqrstu',
      'change-me',
    ]) {
      expect({ secret, problems: problemsOf({ ...production, SECRET_KEY: secret }) }).toEqual({
        secret,
        problems: [placeholder],
      });
    }
    // Outside production the original .env still starts as it did (a development key of its own choosing).
    expect(problemsOf({ SECRET_KEY: 'your-secret-key-here-generate-with-openssl-rand-hex-32' })).toEqual([]);
  });

  it('refuses production without DATABASE_URL, in one line', () => {
    const { DATABASE_URL: _omitted, ...withoutDatabase } = production;
    expect(problemsOf(withoutDatabase)).toEqual([
      'DATABASE_URL is required in production: the embedded database would keep every account inside the ' +
        'container (set it to a postgresql:// URL)',
    ]);
    expect(problemsOf({ ...withoutDatabase, ENVIRONMENT: 'development' })).toEqual([]);
  });

  it('refuses PASSWORD_MIN_SCORE below 2', () => {
    for (const score of ['0', '1']) {
      expect(problemsOf({ ...production, PASSWORD_MIN_SCORE: score })).toEqual([
        'PASSWORD_MIN_SCORE must be at least 2 in production',
      ]);
      expect(problemsOf({ PASSWORD_MIN_SCORE: score })).toEqual([]);
    }
    expect(problemsOf({ ...production, PASSWORD_MIN_SCORE: '2' })).toEqual([]);
  });
});

describe('.env.example', () => {
  it('is a valid configuration as shipped', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { parseEnv } = jest.requireActual<typeof import('node:util')>('node:util');
    const env = parseEnv(readFileSync(`${__dirname}/../../.env.example`, 'utf8'));
    expect(() => loadSettings(env)).not.toThrow();
  });
});

describe('the SECRET_KEY values this project publishes', () => {
  it('are each refused in production (.env.example, deploy/kubernetes.yaml)', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { parseAllDocuments } = jest.requireActual<typeof import('yaml')>('yaml');
    const root = `${__dirname}/../../`;
    // Commented-out example lines count: they are copied as they are.
    const example = [...readFileSync(`${root}.env.example`, 'utf8').matchAll(/^#?\s*SECRET_KEY=(.+)$/gm)];
    const manifests = parseAllDocuments(readFileSync(`${root}deploy/kubernetes.yaml`, 'utf8')).map(
      (document) => document.toJS() as { stringData?: Record<string, string> },
    );
    const published = [
      ...example.map((match) => match[1].trim().replace(/^"(.*)"$/, '$1')),
      ...manifests.flatMap((manifest) => manifest.stringData?.SECRET_KEY ?? []),
    ].filter(Boolean);
    expect(published.length).toBeGreaterThan(0);
    for (const secret of published) {
      const problems = problemsOf({ ENVIRONMENT: 'production', DATABASE_URL: PRODUCTION_DATABASE, SECRET_KEY: secret });
      expect({ secret, problems }).toEqual({ secret, problems: [expect.stringMatching(/^SECRET_KEY is a published/)] });
    }
  });
});
