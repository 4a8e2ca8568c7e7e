import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editDistance } from './edit-distance';
import { settingNames } from './settings';
import { unknownSettingsAtStart, unknownSettingWarnings } from './unknown-settings';

describe('unknownSettingWarnings', () => {
  it('names the nearest setting for each mistyped name in .env, one line each', () => {
    expect(
      unknownSettingWarnings(
        ['DATABSE_URL', 'RATE_LIMIT_ENABLE', 'LOG_LEVLE', 'ACCESS_TOKEN_EXPIRE_MINUTE', 'PORT'],
        [],
      ),
    ).toEqual([
      'DATABSE_URL is not a setting: did you mean DATABASE_URL?',
      'RATE_LIMIT_ENABLE is not a setting: did you mean RATE_LIMIT_ENABLED?',
      'LOG_LEVLE is not a setting: did you mean LOG_LEVEL?',
      'ACCESS_TOKEN_EXPIRE_MINUTE is not a setting: did you mean ACCESS_TOKEN_EXPIRE_MINUTES?',
    ]);
  });

  it('warns of any other name in .env too, and of a setting written in lower case', () => {
    expect(unknownSettingWarnings(['SENTRY_DSN', 'database_url'], [])).toEqual([
      'SENTRY_DSN is not a setting: it is ignored',
      'database_url is not a setting: did you mean DATABASE_URL?',
    ]);
  });

  it('warns of an environment variable of six or more characters within two edits of a setting', () => {
    expect(
      unknownSettingWarnings([], ['DATABSE_URL', 'RATE_LIMIT_ENABLE', 'LOG_LEVLE', 'ACCESS_TOKEN_EXPIRE_MINUTE']),
    ).toHaveLength(4);
    // Three edits away, or shorter than six characters: most likely another program's.
    expect(unknownSettingWarnings([], ['LOG_FILE', 'HOSTS', 'DEBUGS'])).toEqual([
      'DEBUGS is not a setting: did you mean DEBUG?',
    ]);
    expect(unknownSettingWarnings([], ['SENTRY_DSN', 'JAVA_HOME'])).toEqual([]);
  });

  it('leaves the usual system variables alone, even two edits from a setting', () => {
    const system = ['HOSTNAME', 'PWD', 'SHELL', 'PGHOST', 'PGPORT', 'NODE_ENV', 'npm_config_cache', 'HTTPS_PROXY'];
    expect(editDistance('PGHOST', 'HOST')).toBe(2);
    expect(unknownSettingWarnings([], system)).toEqual([]);
  });

  it('says each name once, when it is both in .env and in the environment', () => {
    expect(unknownSettingWarnings(['LOG_LEVLE'], ['LOG_LEVLE'])).toEqual([
      'LOG_LEVLE is not a setting: did you mean LOG_LEVEL?',
    ]);
  });

  it('knows every setting by name', () => {
    const names = settingNames();
    for (const name of ['DATABASE_URL', 'SECRET_KEY', 'LOG_LEVEL', 'TRUST_PROXY', 'WEBAUTHN_RP_ID', 'MAIL_FROM']) {
      expect(names.has(name)).toBe(true);
    }
    expect(unknownSettingWarnings([...names], [...names])).toEqual([]);
  });

  it('reads the names of the .env file in the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-env-'));
    try {
      writeFileSync(join(dir, '.env'), 'DATABSE_URL=postgresql://localhost/x\nPORT=8001\n');
      expect(unknownSettingsAtStart({ PATH: '/usr/bin' }, join(dir, '.env'))).toEqual([
        'DATABSE_URL is not a setting: did you mean DATABASE_URL?',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('editDistance', () => {
  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('LOG_LEVLE', 'LOG_LEVEL')).toBe(1);
    expect(editDistance('DATABSE_URL', 'DATABASE_URL')).toBe(1);
    expect(editDistance('', 'PORT')).toBe(4);
    expect(editDistance('PORT', 'PORT')).toBe(0);
  });
});
