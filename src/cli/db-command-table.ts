import { Settings } from '../config/settings';
import { SealedSecretStores } from '../common/secrets/sealed-secret-stores';
import { KeyRotationCommand } from '../keys/key-rotation.command';
import { create, drop, health, inAppSlice, Print, reset, seed } from './db-commands';

/** One subcommand of `npm run db`: the flags it reads, and what it does. */
export interface DbCommand {
  readonly flags: readonly string[];
  run(settings: Settings, print: Print, flags: ReadonlySet<string>): Promise<void>;
}

/** Every subcommand, in the order the usage line names them: a new one is one entry here. */
export const DB_COMMANDS: Readonly<Record<string, DbCommand>> = {
  create: { flags: [], run: (settings, print) => create(settings, print) },
  drop: { flags: ['--force'], run: (settings, print, flags) => drop(settings, print, flags.has('--force')) },
  reset: { flags: ['--force'], run: (settings, print, flags) => reset(settings, print, flags.has('--force')) },
  seed: { flags: ['--promote'], run: (settings, print, flags) => seed(settings, print, flags.has('--promote')) },
  health: { flags: [], run: (settings, print) => health(settings, print) },
  'rotate-keys': {
    flags: ['--revoke-current'],
    run: (settings, print, flags) =>
      inAppSlice(settings, (app) => app.get(KeyRotationCommand).runRotateKeys(flags.has('--revoke-current'), print)),
  },
  reencrypt: {
    flags: [],
    run: (settings, print) => inAppSlice(settings, (app) => app.get(SealedSecretStores).runReencrypt(print)),
  },
};

/** `usage: npm run db -- create|drop|… [--force] [--promote]`, from the table. */
export function dbUsage(): string {
  const flags = [...new Set(Object.values(DB_COMMANDS).flatMap((command) => command.flags))];
  return ['usage: npm run db --', Object.keys(DB_COMMANDS).join('|'), ...flags.map((flag) => `[${flag}]`)].join(' ');
}
