import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations';

describe('MIGRATIONS', () => {
  it('lists every migration of the migrations/ folder, in the order of their timestamps', () => {
    // 1764300000000-CreateUsers.ts holds the class CreateUsers1764300000000.
    const files = readdirSync(join(__dirname, '..', '..', 'migrations'))
      .filter((file) => file.endsWith('.ts'))
      .sort()
      .map((file) => {
        const [, timestamp, name] = /^(\d+)-(\w+)\.ts$/.exec(file) ?? [];
        return `${name}${timestamp}`;
      });
    expect(files.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(files);
  });
});
