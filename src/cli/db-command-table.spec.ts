import { DB_COMMANDS, dbUsage } from './db-command-table';

describe('the db command table', () => {
  it('names every subcommand and each flag once in the usage line, in the order of the table', () => {
    expect(dbUsage()).toBe(
      'usage: npm run db -- create|drop|reset|seed|health|rotate-keys|reencrypt [--force] [--promote] [--revoke-current]',
    );
  });

  it('gives each subcommand only the flags it reads', () => {
    expect(Object.fromEntries(Object.entries(DB_COMMANDS).map(([name, command]) => [name, command.flags]))).toEqual({
      create: [],
      drop: ['--force'],
      reset: ['--force'],
      seed: ['--promote'],
      health: [],
      'rotate-keys': ['--revoke-current'],
      reencrypt: [],
    });
  });
});
