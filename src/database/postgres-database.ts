import { Client } from 'pg';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function maintenanceUrl(url: string): { admin: string; name: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  parsed.pathname = name === 'postgres' ? '/template1' : '/postgres';
  return { admin: parsed.toString(), name };
}

async function withAdminClient<T>(url: string, work: (client: Client, name: string) => Promise<T>): Promise<T> {
  const { admin, name } = maintenanceUrl(url);
  const client = new Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  // A server that goes away mid-command fails the command; it must not throw from the emitter.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE for the database named in the URL, when it does not exist yet. */
export function createDatabaseIfMissing(url: string): Promise<boolean> {
  return withAdminClient(url, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return true;
  });
}

/** DROP DATABASE (closing its connections); used by the tests to leave nothing behind. */
export function dropDatabase(url: string): Promise<void> {
  return withAdminClient(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}
