import { loadSettings } from './settings';
import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('takes redis:// and rediss:// as one server, the URL handed to the client unchanged', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisUrl('rediss://:pw@cache.internal:6380')).toEqual({
      mode: 'single',
      url: 'rediss://:pw@cache.internal:6380',
    });
  });

  it('reads a Sentinel group: its sentinels, the master name, the database and both passwords', () => {
    expect(
      parseRedisUrl('redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster/3?sentinelPassword=sp'),
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 3,
      password: 's3cret',
      sentinelPassword: 'sp',
    });
    expect(parseRedisUrl('redis+sentinel://h1:26379/main')).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 'h1', port: 26379 }],
      name: 'main',
      db: 0,
    });
  });

  it('reads a Cluster: its seed nodes and the password, percent-decoded', () => {
    expect(parseRedisUrl('redis+cluster://:p%40ss@127.0.0.1:7000,127.0.0.1:7001')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
      ],
      password: 'p@ss',
    });
    expect(parseRedisUrl('REDIS+CLUSTER://node-a,node-b:7002/')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'node-a', port: 6379 },
        { host: 'node-b', port: 7002 },
      ],
    });
  });

  it.each([
    ['http://127.0.0.1:6379', /must be redis:\/\//],
    ['redis+sentinel://h1:26379,h2:26379', /master group name/],
    ['redis+sentinel://h1:26379/mymaster/x', /database number/],
    ['redis+sentinel://h1:26379/mymaster?password=x', /unknown option "password"/],
    ['redis+sentinel://h1:99999/mymaster', /no valid host list/],
    ['redis+cluster://h1:7000,,h2:7001', /no valid host list/],
    ['redis+cluster://h1:7000/1', /has not/],
    ['redis+cluster://:p%zz@h1:7000', /percent-encoded/],
  ])('refuses %s with the reason', (raw, reason) => {
    const parsed = parseRedisUrl(raw);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toMatch(reason);
  });

  it('names REDIS_URL in the one startup error, without the password the value holds', () => {
    const load = (): unknown => loadSettings({ REDIS_URL: 'redis+cluster://:hunter2-secret@h1:7000/5' });
    expect(load).toThrow(/REDIS_URL names a path or database/);
    expect(load).not.toThrow(/hunter2-secret/);
  });
});
