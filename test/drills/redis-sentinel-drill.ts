/**
 * Redis Sentinel drill (run by .ci/run, not by npm test): one master, one replica and three sentinels of
 * Debian's redis-server on loopback ports in a private directory, two built instances sharing them. The
 * auth limit across both; SENTINEL FAILOVER; the limit again once the failover plus 1 s has passed; no
 * 5xx. Prints its figures.
 *   npx ts-node --transpile-only test/drills/redis-sentinel-drill.ts
 */
import { OwnSentinelGroup, redisCli } from '../support/own-redis-topology';
import { sleep } from './drill-client';
import { FailoverTarget, runRedisFailoverDrill } from './redis-failover-drill';

async function sentinelTarget(): Promise<FailoverTarget> {
  const group = await OwnSentinelGroup.start(1, 3, 1000);
  let master = 0;
  return {
    label: 'Redis Sentinel, 1 master + 1 replica + 3 sentinels',
    url: group.url,
    async pick(key) {
      master = await group.masterPort();
      if ((await redisCli(master, 'exists', key)) !== '1') throw new Error(`no key ${key} on the master`);
      return `every counter lives on the master on port ${master}`;
    },
    onPicked: () => Promise.resolve(true),
    async failover() {
      await redisCli(group.sentinels[0].port, 'sentinel', 'failover', OwnSentinelGroup.MASTER_NAME);
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
        const now = await group.masterPort();
        if (now !== master && (await redisCli(now, 'role')).startsWith('master')) {
          return `SENTINEL FAILOVER: the replica on port ${now} is master, the sentinels demote the one on port ${master}`;
        }
      }
      throw new Error('no new master within 60 s of SENTINEL FAILOVER');
    },
    stop: () => group.stop(),
  };
}

void runRedisFailoverDrill('Redis Sentinel', sentinelTarget);
