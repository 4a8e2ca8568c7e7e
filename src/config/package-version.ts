import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The version in package.json (two levels up from both src/config and dist/config). */
export function packageVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  return cached;
}
