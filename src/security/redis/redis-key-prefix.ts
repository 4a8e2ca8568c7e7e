import { DatabaseConfig } from '../../config/database.config';

/**
 * Counters belong to one deployment's data: instances on the same database share them, while two
 * services (or two test runs) that share a Redis server but not a database never see each other's.
 */
export function redisKeyPrefix(database: DatabaseConfig): string {
  if (!database.url) return 'clickbit:embedded:';
  const name = decodeURIComponent(new URL(database.url).pathname.slice(1)) || 'postgres';
  return `clickbit:${name}:`;
}
