import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, Settings } from '../src/config/settings';
import { create, health, seed } from '../src/database/db-commands';
import { DataDirInUseError } from '../src/database/data-dir-lock';
import { openDatabaseServer } from '../src/database/database-server';
import { createTestDatabase, TestDatabase } from './support/test-app';
import { Client } from 'pg';

const ADMIN = { ADMIN_EMAIL: 'Admin@Example.com', ADMIN_PASSWORD: 'Adm1n-Str0ng-Passphrase' };

describe('db command', () => {
  let database: TestDatabase;
  let dataDir: string;
  let settings: Settings;
  const printed: string[] = [];
  const print = (line: string): void => void printed.push(line);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'clickbit-data-'));
    // On the embedded default the command works on a real directory (a second process must be refused).
    const env = database.env.DATA_DIR ? { DATA_DIR: dataDir } : database.env;
    settings = loadSettings({ ENVIRONMENT: 'test', BCRYPT_ROUNDS: '4', ...ADMIN, ...env });
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function adminCount(): Promise<number> {
    const server = await openDatabaseServer(settings.database);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE role = 'admin'");
      return Number(rows[0].n);
    } finally {
      await client.end();
      await server.close();
    }
  }

  it('reports pending migrations until create applies them', async () => {
    await expect(health(settings, print)).rejects.toThrow(/migrations are pending/);
    await create(settings, print);
    expect(printed.join('\n')).toMatch(/applied \d+ migration\(s\): CreateUsers/);
    await expect(health(settings, print)).resolves.toBeUndefined();
    expect(printed.at(-1)).toMatch(/^database reachable, latency [\d.]+ ms, no migration pending$/);
  });

  it('seeds one admin however often it runs', async () => {
    await seed(settings, print);
    await seed(settings, print);
    expect(printed.slice(-1)[0]).toBe('admin admin@example.com already present');
    expect(await adminCount()).toBe(1);
  });

  it('refuses a weak ADMIN_PASSWORD', async () => {
    const env = database.env.DATA_DIR ? { DATA_DIR: dataDir } : database.env;
    const weak = loadSettings({
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: 'other@example.com',
      ADMIN_PASSWORD: 'password',
      ...env,
    });
    await expect(seed(weak, print)).rejects.toThrow(/^ADMIN_PASSWORD is too easy to guess/);
  });

  it('fails health with one line when the database is unreachable', async () => {
    const dead = loadSettings({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    await expect(health(dead, print)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('lets one process at a time open an embedded data directory', async () => {
    const embedded = loadSettings({ DATA_DIR: dataDir }).database;
    const first = await openDatabaseServer(embedded);
    try {
      // The lock names the owner; here the owner is this very process, so fake another live one.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dataDir, 'service.lock'), String(process.ppid));
      await expect(openDatabaseServer(embedded)).rejects.toThrow(DataDirInUseError);
    } finally {
      await first.close();
    }
  });
});
