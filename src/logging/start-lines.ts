import { parseRedisUrl } from '../config/redis-url';
import { Settings } from '../config/settings';

/** A server URL as host:port/path, without user or password. */
function withoutCredentials(raw: string, defaultPort: number): string {
  const url = new URL(raw);
  return `${url.hostname}:${url.port || defaultPort}${url.pathname === '/' ? '' : url.pathname}`;
}

/** Which Redis the service uses: the server, or the Sentinel group's or Cluster's nodes, never a password. */
function describeRedis(raw: string): string {
  const target = parseRedisUrl(raw);
  if (target instanceof Error) return 'Redis (REDIS_URL unreadable)';
  if (target.mode === 'single') return `Redis ${withoutCredentials(target.url, 6379)}`;
  const nodes = target.mode === 'sentinel' ? target.sentinels : target.nodes;
  const list = nodes.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  return target.mode === 'sentinel' ? `Redis Sentinel ${list} master ${target.name}` : `Redis Cluster ${list}`;
}

/** Which database the service uses, never with its password. */
export function describeDatabase(settings: Settings): string {
  const { url, inMemory, dataDir } = settings.database;
  if (url) return `PostgreSQL ${withoutCredentials(url, 5432)}`;
  return inMemory ? 'embedded PostgreSQL (PGlite) in memory' : `embedded PostgreSQL (PGlite) at ${dataDir}`;
}

/** The one line a start prints at info: where it listens, its database, Redis and the docs. */
export function startLine(settings: Settings): string {
  const { app, rateLimit } = settings;
  const listening = `http://${app.host.includes(':') ? `[${app.host}]` : app.host}:${app.port}`;
  const redis = rateLimit.redisUrl
    ? describeRedis(rateLimit.redisUrl)
    : 'no Redis (rate limits per instance, lockout in the database)';
  return (
    `${app.appName} (${app.environment}) listening on ${listening}, database: ${describeDatabase(settings)}, ` +
    `${redis}, docs: ${app.docsEnabled ? `${app.origin}/docs` : 'off (DOCS_ENABLED=false)'}`
  );
}
