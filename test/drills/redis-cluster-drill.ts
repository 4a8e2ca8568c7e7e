/**
 * Redis Cluster drill (run by .ci/run, not by npm test): 3 masters and 3 replicas of Debian's
 * redis-server (cluster-node-timeout 2000 ms) on loopback ports in a private directory, two built
 * instances sharing it. The auth limit across both; SIGKILL of the master holding the counters, its
 * replica promoted; the limit again once the failover plus 1 s has passed; no 5xx. Prints its figures.
 *   npx ts-node --transpile-only test/drills/redis-cluster-drill.ts
 */
import { OwnRedisCluster, RedisNode, redisCli } from '../support/own-redis-topology';
import { FailoverTarget, runRedisFailoverDrill } from './redis-failover-drill';

async function clusterTarget(): Promise<FailoverTarget> {
  const cluster = await OwnRedisCluster.start(3, 1, 2000);
  let victim: RedisNode | undefined;
  let victimSlots: [number, number][] = [];
  return {
    label: 'Redis Cluster, 3 masters + 3 replicas',
    url: cluster.url,
    async pick(key) {
      victim = await cluster.masterOf(key);
      // The drill's idea of the key is the instances' own: else the picked master would prove nothing.
      if ((await redisCli(victim.port, 'exists', key)) !== '1') throw new Error(`no key ${key} on its master`);
      victimSlots = await cluster.slotsOf(victim);
      return `the counters of the first check live on the master on port ${victim.port}`;
    },
    async onPicked(key) {
      const slot = await cluster.slotOf(key);
      return victimSlots.some(([from, to]) => slot >= from && slot <= to);
    },
    async failover() {
      if (!victim) throw new Error('no master picked');
      const replicas = await cluster.syncedReplicasOf(victim);
      await victim.kill('SIGKILL');
      const successor = await cluster.waitForPromotion(replicas);
      return `SIGKILL of the master on port ${victim.port}, its replica on port ${successor.port} promoted`;
    },
    stop: () => cluster.stop(),
  };
}

void runRedisFailoverDrill('Redis Cluster', clusterTarget);
