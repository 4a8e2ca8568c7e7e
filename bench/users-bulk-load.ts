import { Client } from 'pg';

/** Adds users straight through SQL (the API would spend hours hashing): emails bulk-<n>@example.com. */
export async function bulkLoadUsers(databaseUrl: string, from: number, to: number): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const batch = 200_000;
    for (let start = from; start <= to; start += batch) {
      const end = Math.min(to, start + batch - 1);
      await client.query(
        `INSERT INTO users (email, first_name, last_name, password_hash)
         SELECT 'bulk-' || g || '@example.com', 'Bulk', 'User ' || g, '$hs384$2b$10$' || md5(g::text)
           FROM generate_series($1::int, $2::int) AS g`,
        [start, end],
      );
    }
    await client.query('ANALYZE users');
  } finally {
    await client.end();
  }
}
