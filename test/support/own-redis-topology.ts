import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './built-app-process';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** redis-cli against a loopback port; its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 });
  return stdout.trim();
}

/** One redis-server (or sentinel) process of the test's own, in a private directory, on a loopback port. */
export class RedisNode {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string, lines: string[], sentinel = false): Promise<RedisNode> {
    const port = await sparePort();
    const conf = join(dir, `${port}.conf`);
    const base = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly no', 'daemonize no'];
    writeFileSync(conf, [...base, ...lines].join('\n') + '\n');
    const child = spawn('redis-server', sentinel ? [conf, '--sentinel'] : [conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = sentinel ? /Sentinel ID is|monitor master/ : /Ready to accept connections/;
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (ready.test(output)) resolve();
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${output}`)));
    });
    child.stdout?.resume();
    return new RedisNode(port, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}

/** A set of nodes in one private directory, removed with them. */
abstract class OwnTopology {
  protected constructor(
    protected readonly dir: string,
    readonly nodes: RedisNode[],
  ) {}

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill('SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A Redis Cluster: `masters` masters, each with `replicas` replicas, made by `redis-cli --cluster create`,
 * cluster-node-timeout `nodeTimeoutMs` (Redis' 15 s default would make a failover drill wait 15 s).
 */
export class OwnRedisCluster extends OwnTopology {
  static async start(masters = 3, replicas = 0, nodeTimeoutMs = 2000): Promise<OwnRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-redis-cluster-'));
    const nodes: RedisNode[] = [];
    const cluster = new OwnRedisCluster(dir, nodes);
    try {
      for (let i = 0; i < masters * (1 + replicas); i++) {
        // Validity factor 0: a replica fails over however long ago it last heard its master, so that a
        // replica still finishing its first sync on a busy host does not refuse the drill's promotion.
        const lines = [
          'cluster-enabled yes',
          `cluster-config-file nodes-${i}.conf`,
          'cluster-replica-validity-factor 0',
        ];
        nodes.push(await RedisNode.start(dir, [...lines, `cluster-node-timeout ${nodeTimeoutMs}`]));
      }
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
        {
          timeout: 60_000,
        },
      );
      await cluster.waitUntilOk();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  get url(): string {
    return `redis+cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  /** Every node says cluster_state:ok (slots covered, each with a master that answers). */
  async waitUntilOk(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const states = await Promise.all(
        this.nodes.filter((node) => node.running).map((node) => redisCli(node.port, 'cluster', 'info').catch(() => '')),
      );
      if (states.every((info) => info.includes('cluster_state:ok'))) return;
      await sleep(100);
    }
    throw new Error(`the cluster is not ok within ${timeoutMs} ms`);
  }

  async slotOf(key: string): Promise<number> {
    const live = this.nodes.find((node) => node.running);
    if (!live) throw new Error('no node of the cluster runs');
    return Number(await redisCli(live.port, 'cluster', 'keyslot', key));
  }

  /** The slot ranges a node serves as master (none for a replica). */
  async slotsOf(node: RedisNode): Promise<[number, number][]> {
    const mine = await redisCli(node.port, 'cluster', 'myid');
    const line = (await redisCli(node.port, 'cluster', 'nodes')).split('\n').find((entry) => entry.startsWith(mine));
    if (!line?.includes('master')) return [];
    return (line.split(' ').slice(8) ?? [])
      .filter((range) => /^\d/.test(range))
      .map((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return [from, to];
      });
  }

  /** The replicas of a master (the nodes whose `cluster nodes` line names it as their master). */
  async replicasOf(master: RedisNode): Promise<RedisNode[]> {
    const id = await redisCli(master.port, 'cluster', 'myid');
    const lines = (await redisCli(master.port, 'cluster', 'nodes')).split('\n');
    const ports = lines.filter((line) => line.split(' ')[3] === id).map((line) => Number(/:(\d+)@/.exec(line)?.[1]));
    return this.nodes.filter((node) => ports.includes(node.port));
  }

  /** The master's replicas once at least one is known and in sync with it (a fresh cluster attaches them late). */
  async syncedReplicasOf(master: RedisNode, timeoutMs = 30_000): Promise<RedisNode[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const replicas = await this.replicasOf(master).catch(() => []);
      for (const replica of replicas) {
        const info = await redisCli(replica.port, 'info', 'replication').catch(() => '');
        if (/master_link_status:up/.test(info)) return replicas;
      }
      await sleep(100);
    }
    throw new Error(`no replica of the master on port ${master.port} in sync within ${timeoutMs} ms`);
  }

  /** Until one of the nodes answers ROLE as master and every running node says cluster_state:ok. */
  async waitForPromotion(candidates: RedisNode[], timeoutMs = 60_000): Promise<RedisNode> {
    if (candidates.length === 0) throw new Error('no replica to promote');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const node of candidates) {
        if (!(await redisCli(node.port, 'role').catch(() => '')).startsWith('master')) continue;
        await this.waitUntilOk(deadline - Date.now());
        return node;
      }
      await sleep(50);
    }
    throw new Error(`no replica promoted within ${timeoutMs} ms`);
  }

  /** The node serving the slot of `key` as master. */
  async masterOf(key: string): Promise<RedisNode> {
    const slot = await this.slotOf(key);
    for (const node of this.nodes.filter((candidate) => candidate.running)) {
      if ((await this.slotsOf(node)).some(([from, to]) => slot >= from && slot <= to)) return node;
    }
    throw new Error(`no master serves the slot of ${key}`);
  }
}

/** One master, `replicas` replicas and `sentinels` sentinels (quorum 2, or 1 with one sentinel). */
export class OwnSentinelGroup extends OwnTopology {
  static readonly MASTER_NAME = 'clickbit';

  private constructor(
    dir: string,
    nodes: RedisNode[],
    readonly sentinels: RedisNode[],
  ) {
    super(dir, nodes);
  }

  static async start(replicas = 1, sentinels = 3, downAfterMs = 1000): Promise<OwnSentinelGroup> {
    const dir = mkdtempSync(join(tmpdir(), 'clickbit-redis-sentinel-'));
    const nodes: RedisNode[] = [];
    const watchers: RedisNode[] = [];
    const group = new OwnSentinelGroup(dir, nodes, watchers);
    try {
      const master = await RedisNode.start(dir, []);
      nodes.push(master);
      for (let i = 0; i < replicas; i++) {
        nodes.push(await RedisNode.start(dir, [`replicaof 127.0.0.1 ${master.port}`]));
      }
      const quorum = Math.min(2, sentinels);
      for (let i = 0; i < sentinels; i++) {
        const name = OwnSentinelGroup.MASTER_NAME;
        const sentinel = await RedisNode.start(
          dir,
          [
            `sentinel monitor ${name} 127.0.0.1 ${master.port} ${quorum}`,
            `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
            `sentinel failover-timeout ${name} 10000`,
            `sentinel parallel-syncs ${name} 1`,
          ],
          true,
        );
        watchers.push(sentinel);
        nodes.push(sentinel);
      }
      await group.waitForReplicas(replicas);
      return group;
    } catch (error) {
      await group.stop();
      throw error;
    }
  }

  get url(): string {
    const list = this.sentinels.map((node) => `127.0.0.1:${node.port}`).join(',');
    return `redis+sentinel://${list}/${OwnSentinelGroup.MASTER_NAME}`;
  }

  /** The port the sentinels name as master. */
  async masterPort(): Promise<number> {
    const answer = await redisCli(
      this.sentinels[0].port,
      'sentinel',
      'get-master-addr-by-name',
      OwnSentinelGroup.MASTER_NAME,
    );
    return Number(answer.split('\n')[1]);
  }

  /** Until the master has `count` replicas online and the sentinels know them. */
  async waitForReplicas(count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const info = await redisCli(await this.masterPort(), 'info', 'replication').catch(() => '');
      const online = (info.match(/state=online/g) ?? []).length;
      const known = await redisCli(this.sentinels[0].port, 'sentinel', 'replicas', OwnSentinelGroup.MASTER_NAME);
      if (online >= count && (count === 0 || known.includes('slave'))) return;
      await sleep(200);
    }
    throw new Error(`the sentinel group has not ${count} replica(s) within ${timeoutMs} ms`);
  }
}
