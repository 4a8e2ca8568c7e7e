import { productionWarnings } from './production-warnings';
import { loadSettings } from './settings';

const PRODUCTION = {
  ENVIRONMENT: 'production',
  SECRET_KEY: 'a-production-secret-key-of-plenty-of-distinct-characters',
  SMTP_URL: 'smtp://mail:25',
  DATABASE_URL: 'postgresql://clickbit@db.internal:5432/clickbit',
};

describe('productionWarnings', () => {
  it('reads METRICS_TOKEN (unset) and DOCS_ENABLED (true) with their defaults', () => {
    expect(loadSettings({}).app).toMatchObject({ metricsToken: undefined, docsEnabled: true });
    expect(loadSettings({ METRICS_TOKEN: 'scrape-me', DOCS_ENABLED: 'false' }).app).toMatchObject({
      metricsToken: 'scrape-me',
      docsEnabled: false,
    });
  });

  it('warns in production without METRICS_TOKEN or COOKIE_PREFIX, one line each', () => {
    expect(productionWarnings(loadSettings(PRODUCTION))).toEqual([
      'METRICS_TOKEN is unset: /metrics and the detailed health routes are open to anyone',
      'COOKIE_PREFIX is false: the session cookies lack the __Host-/__Secure- protection',
    ]);
    expect(
      productionWarnings(loadSettings({ ...PRODUCTION, METRICS_TOKEN: 'scrape-me', COOKIE_PREFIX: 'true' })),
    ).toEqual([]);
  });

  it('warns in production without SMTP_URL, which it no longer requires', () => {
    const { SMTP_URL: _omitted, ...withoutSmtp } = PRODUCTION;
    expect(
      productionWarnings(loadSettings({ ...withoutSmtp, METRICS_TOKEN: 'scrape-me', COOKIE_PREFIX: 'true' })),
    ).toEqual(['SMTP_URL is unset: no mail is sent; verification and reset requests answer 503']);
  });

  it('says nothing outside production', () => {
    expect(productionWarnings(loadSettings({ ENVIRONMENT: 'development' }))).toEqual([]);
    expect(productionWarnings(loadSettings({ ENVIRONMENT: 'test' }))).toEqual([]);
  });
});
