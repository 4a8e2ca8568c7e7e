import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from './settings';

const SECRET_FILE = 'secret_key';

/**
 * Development and test need no SECRET_KEY: one is generated once and kept under DATA_DIR, so tokens
 * survive a restart. Production refuses to start without one (checked in loadSettings).
 * Returns a line to log when a key was generated just now, so the operator learns where it is.
 */
export function ensureSecretKey(settings: Settings): string | undefined {
  if (settings.auth.secretKey) return undefined;
  if (settings.database.inMemory) {
    settings.auth.secretKey = randomBytes(48).toString('base64url');
    return 'SECRET_KEY is not set: generated a development key in memory (tokens end with the process)';
  }
  const file = join(settings.database.dataDir, SECRET_FILE);
  if (existsSync(file)) {
    settings.auth.secretKey = readFileSync(file, 'utf8').trim();
    return undefined;
  }
  mkdirSync(settings.database.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  settings.auth.secretKey = secret;
  return `SECRET_KEY is not set: generated a development key and kept it in ${file} (production needs SECRET_KEY)`;
}
