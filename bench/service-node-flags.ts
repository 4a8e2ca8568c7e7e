import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node.js flags `npm start` runs the service with (package.json's start script, `node <flags>
 * dist/src/main.js`), so that the benchmark measures the service as operators run it, and gives the
 * servers it compares against the same runtime.
 */
export function serviceNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = packageJson.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/src/main.js') {
    throw new Error(`package.json's start script is not "node [flags] dist/src/main.js": ${packageJson.scripts.start}`);
  }
  return words.slice(1, -1);
}
