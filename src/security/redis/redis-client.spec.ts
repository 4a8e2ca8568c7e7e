import { Cluster } from 'ioredis';
import { createRedisClient, modeOf, pingEveryMaster, RedisClient } from './redis-client';

describe('createRedisClient', () => {
  const clients: RedisClient[] = [];
  afterEach(() => clients.splice(0).forEach((client) => client.disconnect(false)));
  const made = (client: RedisClient): RedisClient => (clients.push(client), client);

  it('makes the client of each topology, and tells which one it is', () => {
    const single = made(createRedisClient({ mode: 'single', url: 'redis://127.0.0.1:1/0' }));
    const sentinel = made(
      createRedisClient({ mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port: 1 }], name: 'main', db: 2 }),
    );
    const cluster = made(createRedisClient({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }));
    expect([single, sentinel, cluster].map(modeOf)).toEqual(['single', 'sentinel', 'cluster']);
    expect(cluster).toBeInstanceOf(Cluster);
    expect(sentinel.options).toMatchObject({ name: 'main', db: 2, failoverDetector: true });
  });

  it('never queues commands: a client that is not connected refuses at once', async () => {
    const single = made(createRedisClient({ mode: 'single', url: 'redis://127.0.0.1:1/0' }));
    await expect(single.get('k')).rejects.toThrow();
  });

  it('finds a Cluster without a master for every slot not up, whatever the nodes it holds answer', async () => {
    const cluster = made(createRedisClient({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }));
    await expect(pingEveryMaster(cluster)).resolves.toBe(false);
  });
});
