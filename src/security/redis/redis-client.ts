import Redis, { Cluster, RedisOptions } from 'ioredis';
import { RedisMode, RedisTarget } from '../../config/redis-url';

/** A client of any of the three topologies: both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** Commands still unanswered this long are dropped by ioredis, so a hung Redis cannot pile them up. */
const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 500;
/**
 * How often a Cluster client asks for the slot map anyway. A failover moves slots to a promoted replica;
 * commands that meet the dead master also trigger a refresh, this bounds the wait when none does.
 */
const SLOTS_REFRESH_INTERVAL_MS = 1000;

/** Reconnect quickly: the sooner Redis is back, the sooner counters are shared again. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 100, 1000);

/** A demoted master answers writes with READONLY: reconnect, which finds the new master. */
const reconnectOnError = (error: Error): boolean => error.message.startsWith('READONLY');

/** What every connection gets: fail fast instead of queueing (a dead Redis must not hang requests). */
const NODE_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  retryStrategy,
  reconnectOnError,
};

/**
 * The client REDIS_URL asks for: one server; the master of a Sentinel group, found again through the
 * sentinels after a failover (failoverDetector follows +switch-master at once); or a Cluster, whose slot
 * map follows a replica's promotion.
 */
export function createRedisClient(target: RedisTarget): RedisClient {
  if (target.mode === 'single') return new Redis(target.url, NODE_OPTIONS);
  const { username, password } = target;
  const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  if (target.mode === 'sentinel') {
    return new Redis({
      ...NODE_OPTIONS,
      ...auth,
      sentinels: target.sentinels,
      name: target.name,
      db: target.db,
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
      sentinelRetryStrategy: retryStrategy,
      sentinelCommandTimeout: CONNECT_TIMEOUT_MS,
      failoverDetector: true,
    });
  }
  return new Cluster(target.nodes, {
    enableOfflineQueue: false,
    enableReadyCheck: true,
    clusterRetryStrategy: retryStrategy,
    slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
    slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    redisOptions: { ...NODE_OPTIONS, ...auth },
  });
}

export function modeOf(client: RedisClient): RedisMode {
  if (client instanceof Cluster) return 'cluster';
  return client.options.sentinels?.length ? 'sentinel' : 'single';
}

/** Every slot served by a master the client holds a connection to: else some keys have nowhere to go. */
function everySlotHasAMaster(cluster: Cluster, masters: Set<string>): boolean {
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const owner = cluster.slots[slot]?.[0];
    if (owner === undefined || !masters.has(owner)) return false;
  }
  return true;
}

const SLOT_COUNT = 16_384;

/**
 * Whether every key has a master that answers. One server or a Sentinel's master: PING. A Cluster: every
 * slot is mapped to a master the client is connected to, and each of those says cluster_state:ok (a
 * dead master's slots stay unserved until its replica is promoted and the map refreshed).
 */
export async function pingEveryMaster(client: RedisClient): Promise<boolean> {
  if (!(client instanceof Cluster)) return (await client.ping()) === 'PONG';
  const masters = client.nodes('master');
  const keys = new Set(masters.map((node) => `${node.options.host}:${node.options.port}`));
  if (masters.length === 0 || !everySlotHasAMaster(client, keys)) {
    // A replica may have taken the slots over already: ask for the map now rather than at the next interval.
    client.refreshSlotsCache();
    return false;
  }
  const answers = await Promise.all(masters.map((node) => node.cluster('INFO')));
  return answers.every((info) => /^cluster_state:ok\r?$/m.test(String(info)));
}
