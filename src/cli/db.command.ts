import { readEnvironment } from '../config/environment-file';
import { ensureSecretKey } from '../config/secret-key';
import { InvalidSettingsError, loadSettings } from '../config/settings';
import { unknownSettingsAtStart } from '../config/unknown-settings';
import { DB_COMMANDS, dbUsage } from './db-command-table';

/** `npm run db -- <command>`: the original service's database.py commands. */
async function main(argv: string[]): Promise<number> {
  const [name, ...flags] = argv;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  // A mistyped DATABSE_URL would otherwise send the command to the embedded database without a word.
  for (const warning of unknownSettingsAtStart()) process.stderr.write(`${warning}\n`);
  const settings = loadSettings(readEnvironment());
  ensureSecretKey(settings);
  const command = name !== undefined && Object.hasOwn(DB_COMMANDS, name) ? DB_COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${dbUsage()}\n`);
    return 2;
  }
  await command.run(settings, print, new Set(flags));
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
