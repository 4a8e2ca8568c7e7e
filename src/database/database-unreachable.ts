import { Client } from 'pg';
import { DatabaseServer } from './database-server';

/** The database cannot be used; the message is one line naming it (never the password) and the fix. */
export class DatabaseUnreachableError extends Error {}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/** Why a connection to the PostgreSQL database at `url` failed, and what fixes it, in one line. */
export function explainDatabaseFailure(error: unknown, url: string): DatabaseUnreachableError {
  const parsed = new URL(url);
  const server = `${parsed.hostname}:${parsed.port || 5432}`;
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  const code = (error as { code?: string }).code;
  const message = ((error as Error).message ?? String(error)).split('\n')[0];
  if (code === '3D000') {
    return new DatabaseUnreachableError(
      `database "${name}" does not exist on PostgreSQL ${server}: create it with \`npm run db -- create\``,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DatabaseUnreachableError(
      `PostgreSQL ${server} refused user "${decodeURIComponent(parsed.username)}" for database "${name}": ` +
        'check the user and password in DATABASE_URL',
    );
  }
  if ((code && UNREACHABLE_CODES.has(code)) || /timeout/i.test(message)) {
    return new DatabaseUnreachableError(
      `cannot reach the PostgreSQL server at ${server} (database "${name}", ${code ?? message}): ` +
        'is it running, and does DATABASE_URL name the right host and port?',
    );
  }
  return new DatabaseUnreachableError(`cannot use database "${name}" on PostgreSQL ${server}: ${message}`);
}

/** Connects once before anything else does, so a wrong DATABASE_URL fails in one line, not in retries. */
export async function assertDatabaseReachable(server: DatabaseServer): Promise<void> {
  if (server.embedded) return;
  const client = new Client({ connectionString: server.url, connectionTimeoutMillis: 5000 });
  // The connection attempt's own rejection says what went wrong; the emitter must not throw it again.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw explainDatabaseFailure(error, server.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}
