/** How the service reaches Redis: one server, a Sentinel group, or a Cluster (API.md, REDIS_URL). */
export type RedisMode = 'single' | 'sentinel' | 'cluster';

export interface RedisAddress {
  host: string;
  port: number;
}

export type RedisTarget =
  | { mode: 'single'; url: string }
  | {
      mode: 'sentinel';
      sentinels: RedisAddress[];
      name: string;
      db: number;
      username?: string;
      password?: string;
      sentinelPassword?: string;
    }
  | { mode: 'cluster'; nodes: RedisAddress[]; username?: string; password?: string };

const SENTINEL_PORT = 26379;
const CLUSTER_PORT = 6379;
const FORMS =
  'must be redis://, rediss://, redis+sentinel://[:password@]host:port,host:port/<master name>[/db] ' +
  'or redis+cluster://[:password@]host:port,host:port';

/** `host`, `host:port` or `[v6]:port`; undefined when it is none of these. */
function address(raw: string, defaultPort: number): RedisAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(raw);
  if (!match) return undefined;
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2], port };
}

/** `[user][:password]@` before the hosts, decoded; never echoed back in a message. */
function credentials(userInfo: string | undefined): { username?: string; password?: string } {
  if (userInfo === undefined) return {};
  const colon = userInfo.indexOf(':');
  const user = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(userInfo.slice(colon + 1));
  return { ...(user ? { username: user } : {}), ...(password ? { password } : {}) };
}

interface Split {
  userInfo?: string;
  hosts: RedisAddress[];
  path: string[];
  query: URLSearchParams;
}

/** The common shape of both multi-host forms: `scheme://[userinfo@]host[:port],…[/path][?query]`. */
function split(rest: string, defaultPort: number): Split | Error {
  const [beforeQuery, queryText = ''] = rest.split(/\?(.*)/s, 2);
  const slash = beforeQuery.indexOf('/');
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash < 0 ? [] : beforeQuery.slice(slash + 1).split('/');
  const at = authority.lastIndexOf('@');
  const hostList = at < 0 ? authority : authority.slice(at + 1);
  const hosts = hostList.split(',').map((host) => address(host.trim(), defaultPort));
  if (hostList === '' || hosts.some((host) => host === undefined)) {
    return new Error(`names no valid host list (host:port,host:port); it ${FORMS}`);
  }
  try {
    const userInfo = at < 0 ? undefined : authority.slice(0, at);
    credentials(userInfo);
    return { userInfo, hosts: hosts as RedisAddress[], path, query: new URLSearchParams(queryText) };
  } catch {
    return new Error('holds a badly percent-encoded user or password');
  }
}

function parseSentinel(rest: string): RedisTarget | Error {
  const parts = split(rest, SENTINEL_PORT);
  if (parts instanceof Error) return parts;
  const [name = '', dbText = '0', ...extra] = parts.path;
  if (!/^[A-Za-z0-9._-]+$/.test(name) || extra.length > 0) {
    return new Error('must end with the master group name: redis+sentinel://host:port,host:port/<master name>[/db]');
  }
  const db = /^\d{1,2}$/.test(dbText || '0') ? Number(dbText || '0') : Number.NaN;
  if (!Number.isInteger(db)) return new Error('has a database number that is not a number from 0 to 99');
  const unknown = [...parts.query.keys()].find((key) => key !== 'sentinelPassword');
  if (unknown) return new Error(`has an unknown option "${unknown}" (redis+sentinel:// takes sentinelPassword)`);
  const sentinelPassword = parts.query.get('sentinelPassword') ?? undefined;
  return {
    mode: 'sentinel',
    sentinels: parts.hosts,
    name,
    db,
    ...credentials(parts.userInfo),
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

function parseCluster(rest: string): RedisTarget | Error {
  const parts = split(rest, CLUSTER_PORT);
  if (parts instanceof Error) return parts;
  if (parts.path.some((segment) => segment !== '')) {
    return new Error('names a path or database, which a Cluster has not (it has database 0 only)');
  }
  const unknown = [...parts.query.keys()][0];
  if (unknown) return new Error(`has an unknown option "${unknown}" (redis+cluster:// takes none)`);
  return { mode: 'cluster', nodes: parts.hosts, ...credentials(parts.userInfo) };
}

/**
 * REDIS_URL read into what the client needs. An Error's message completes "REDIS_URL …" and never
 * repeats the value (it may hold a password).
 */
export function parseRedisUrl(raw: string): RedisTarget | Error {
  const scheme = /^([a-z+]+):\/\/(.*)$/is.exec(raw);
  const kind = scheme?.[1].toLowerCase();
  if (!scheme || kind === undefined) return new Error(FORMS);
  if (kind === 'redis+sentinel') return parseSentinel(scheme[2]);
  if (kind === 'redis+cluster') return parseCluster(scheme[2]);
  if (kind !== 'redis' && kind !== 'rediss') return new Error(FORMS);
  try {
    new URL(raw);
  } catch {
    return new Error(`is not a valid URL; it ${FORMS}`);
  }
  return { mode: 'single', url: raw };
}

/** For the setting: the value itself when it parses (the client reads it again), else the problem. */
export function checkRedisUrl(raw: string | undefined): string | undefined | Error {
  if (raw === undefined) return undefined;
  const parsed = parseRedisUrl(raw);
  return parsed instanceof Error ? parsed : raw;
}
