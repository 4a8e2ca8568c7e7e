import { loadSettings } from '../config/settings';
import { startLine } from './start-lines';

const lineWith = (REDIS_URL: string): string =>
  startLine(loadSettings({ ENVIRONMENT: 'test', DATA_DIR: 'memory://', REDIS_URL }));

describe('startLine', () => {
  it('names the Redis server, a Sentinel group or a Cluster by its nodes, never with a password', () => {
    expect(lineWith('redis://:pw-one@10.0.0.5:6380/2')).toContain('Redis 10.0.0.5:6380/2,');
    expect(lineWith('redis+sentinel://:pw-two@s1:26379,[::1]:26380/main?sentinelPassword=pw-three')).toContain(
      'Redis Sentinel s1:26379,[::1]:26380 master main,',
    );
    expect(lineWith('redis+cluster://:pw-four@c1:7000,c2')).toContain('Redis Cluster c1:7000,c2:6379,');
    for (const url of ['redis://:pw-one@h/0', 'redis+cluster://:pw-four@c1:7000']) {
      expect(lineWith(url)).not.toMatch(/pw-/);
    }
  });
});
