import { readEnvironment } from '../config/environment-file';
import { ensureSecretKey } from '../config/secret-key';
import { InvalidSettingsError, loadSettings } from '../config/settings';
import { unknownSettingsAtStart } from '../config/unknown-settings';
import { SealedSecretStores } from '../common/secrets/sealed-secret-stores';
import { KeyRotationCommand } from '../keys/key-rotation.command';
import { create, drop, health, inAppSlice, reset, seed } from './db-commands';

const USAGE =
  'usage: npm run db -- create|drop|reset|seed|health|rotate-keys|reencrypt [--force] [--promote] [--revoke-current]';

/** `npm run db -- <command>`: the original service's database.py commands. */
async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  const force = flags.includes('--force');
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  // A mistyped DATABSE_URL would otherwise send the command to the embedded database without a word.
  for (const warning of unknownSettingsAtStart()) process.stderr.write(`${warning}\n`);
  const settings = loadSettings(readEnvironment());
  ensureSecretKey(settings);
  switch (command) {
    case 'create':
      await create(settings, print);
      break;
    case 'drop':
      await drop(settings, print, force);
      break;
    case 'reset':
      await reset(settings, print, force);
      break;
    case 'seed':
      await seed(settings, print, flags.includes('--promote'));
      break;
    case 'health':
      await health(settings, print);
      break;
    case 'rotate-keys':
      await inAppSlice(settings, (app) =>
        app.get(KeyRotationCommand).runRotateKeys(flags.includes('--revoke-current'), print),
      );
      break;
    case 'reencrypt':
      await inAppSlice(settings, (app) => app.get(SealedSecretStores).runReencrypt(print));
      break;
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
  return 0;
}

// Nest's console logger (seed) colours its lines unless told not to.
if (!process.stderr.isTTY) process.env.NO_COLOR ??= '1';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const lines =
      error instanceof InvalidSettingsError
        ? error.problems.map((p) => `Invalid setting: ${p}`)
        : [`db ${process.argv[2] ?? ''} failed: ${(error as Error).message || String(error)}`];
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exit(1);
  },
);
