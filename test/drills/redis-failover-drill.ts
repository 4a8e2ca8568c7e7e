/**
 * What the Redis Cluster and Sentinel drills share: a PostgreSQL server of the drill's own, two built
 * instances on it sharing one Redis topology, a login load on both from changing addresses, the per-IP
 * auth limit checked across both, a failover, and the limit checked again once the fallback window of
 * API.md (the failover plus 1 s) has passed. Exit 1 on any 5xx, lost request or limit off by more than 1.
 */
import { randomInt } from 'node:crypto';
import { Agent } from 'node:http';
import { BuiltAppProcess, buildIfNeeded } from '../support/built-app-process';
import { OwnPostgresServer } from '../support/own-postgres-server';
import { call, seconds, sleep, Tally } from './drill-client';

/** The drill's budget: the issue allows each drill 4 minutes. */
const DRILL_BUDGET_MS = 240_000;
const AUTH_LIMIT = 10;
/** API.md: counting is shared again within 1 s of Redis (or its new master) answering. */
const FALLBACK_WINDOW_MS = 1000;
const LOAD_WORKERS = 4;

export interface FailoverTarget {
  label: string;
  url: string;
  /** Picks the master the failover takes away: the one holding this key. */
  pick(key: string): Promise<string>;
  /** Whether a key lives on the picked master (and so on its successor after the failover). */
  onPicked(key: string): Promise<boolean>;
  /** Takes the picked master away; resolves once its successor serves, with what was done. */
  failover(): Promise<string>;
  stop(): Promise<void>;
}

/** The rate-limit key the instances count an address's auth limit under (database "postgres"). */
const hitsKey = (ip: string): string => `{clickbit:postgres:rate:auth:${ip}:auth}:hits`;
const randomIp = (): string => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

interface LimitCheck {
  passed: number;
  limited: number;
  failures: number;
}

/** 2 × AUTH_LIMIT logins from one address, alternating between the instances: how many got through. */
async function checkLimit(agent: Agent, ports: number[], ip: string): Promise<LimitCheck> {
  const tally = new Tally();
  for (let i = 0; i < 2 * AUTH_LIMIT; i++) {
    const body = { email: `limit-${i}-${randomInt(1e9)}@example.com`, password: 'Not-The-Password-7' };
    tally.add(await call(agent, ports[i % 2], 'POST', '/user/auth/login', body, { 'x-forwarded-for': ip }));
  }
  return { passed: tally.of(401), limited: tally.of(429), failures: tally.failures };
}

async function redisHealthy(agent: Agent, port: number): Promise<boolean> {
  const answer = await call(agent, port, 'GET', '/health/detailed');
  return answer.status === 200 && /"redis":\{"status":"healthy"/.test(answer.body);
}

async function untilHealthy(agent: Agent, port: number, since: number, timeoutMs = 60_000): Promise<number> {
  while (Date.now() - since < timeoutMs) {
    if (await redisHealthy(agent, port)) return Date.now() - since;
    await sleep(100);
  }
  throw new Error(`the instance on ${port} did not see Redis healthy within ${timeoutMs} ms`);
}

async function fallbacksOf(agent: Agent, port: number): Promise<number> {
  const answer = await call(agent, port, 'GET', '/metrics');
  return Number(/^redis_fallbacks_total (\d+)/m.exec(answer.body)?.[1] ?? Number.NaN);
}

/** An address whose counter lives on the picked master's slots. */
async function addressOnPicked(target: FailoverTarget): Promise<string> {
  for (let tries = 0; tries < 200; tries++) {
    const ip = randomIp();
    if (await target.onPicked(hitsKey(ip))) return ip;
  }
  throw new Error('no address found whose counter lives on the picked master');
}

async function drill(target: FailoverTarget, pg: OwnPostgresServer, failures: string[]): Promise<void> {
  const env = {
    REDIS_URL: target.url,
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_AUTH_REQUESTS: String(AUTH_LIMIT),
    RATE_LIMIT_AUTH_WINDOW: '60',
    RATE_LIMIT_REQUESTS: '1000000',
    TRUST_PROXY: 'true',
  };
  const database = { env: { DATABASE_URL: pg.url }, drop: async () => undefined };
  const apps: BuiltAppProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let loading = true;
  try {
    for (let i = 0; i < 2; i++) apps.push(await BuiltAppProcess.start(env, { database }));
    const ports = apps.map((app) => app.port);
    await Promise.all(ports.map((port) => untilHealthy(agent, port, Date.now())));

    const load = new Tally();
    const workers = Array.from({ length: LOAD_WORKERS }, async (_, worker) => {
      for (let n = 0; loading; n++) {
        const body = { email: `load-${randomInt(1e9)}@example.com`, password: 'Not-The-Password-7' };
        const headers = { 'x-forwarded-for': randomIp() };
        load.add(await call(agent, ports[(n + worker) % 2], 'POST', '/user/auth/login', body, headers));
        await sleep(20);
      }
    });

    const ip1 = randomIp();
    const before = await checkLimit(agent, ports, ip1);
    const victim = await target.pick(hitsKey(ip1));
    const ip2 = await addressOnPicked(target);
    const failedAt = Date.now();
    const action = await target.failover();
    const promotedMs = Date.now() - failedAt;
    const healthy = Promise.all(ports.map((port) => untilHealthy(agent, port, failedAt)));
    await sleep(FALLBACK_WINDOW_MS);
    const after = await checkLimit(agent, ports, ip2);
    const recoveredMs = await healthy;
    loading = false;
    await Promise.all(workers);
    const fallbacks = await Promise.all(ports.map((port) => fallbacksOf(agent, port)));

    const print = (name: string, check: LimitCheck): void =>
      void process.stdout.write(
        `${name}: ${check.passed} of ${2 * AUTH_LIMIT} logins through, ${check.limited} × 429 ` +
          `(limit ${AUTH_LIMIT} ± 1 across both instances)\n`,
      );
    process.stdout.write(`${target.label}: ${victim}\n`);
    print('limit before the failover', before);
    process.stdout.write(`failover: ${action}; successor serving after ${seconds(promotedMs)}\n`);
    process.stdout.write(`instances saw Redis healthy again after ${recoveredMs.map(seconds).join(' and ')}\n`);
    print(`limit from ${seconds(promotedMs + FALLBACK_WINDOW_MS)} on (failover + 1 s)`, after);
    process.stdout.write(`load: ${JSON.stringify(load.counts)}; redis_fallbacks_total ${fallbacks.join(' and ')}\n`);
    for (const [name, check] of [
      ['before', before],
      ['after', after],
    ] as const) {
      if (Math.abs(check.passed - AUTH_LIMIT) > 1) failures.push(`limit ${name}: ${check.passed} through`);
      if (check.failures > 0) failures.push(`limit ${name}: ${check.failures} request(s) with no 4xx answer`);
    }
    if (load.failures > 0) failures.push(`load: ${load.failures} request(s) answered 5xx or not at all`);
  } finally {
    loading = false;
    agent.destroy();
    for (const app of apps) await app.cleanUp();
  }
}

export async function runRedisFailoverDrill(name: string, start: () => Promise<FailoverTarget>): Promise<void> {
  const began = Date.now();
  const failures: string[] = [];
  try {
    buildIfNeeded();
    const [pg, target] = await Promise.all([OwnPostgresServer.create(), start()]);
    try {
      await drill(target, pg, failures);
    } finally {
      await target.stop();
      await pg.remove();
    }
  } catch (error) {
    failures.push((error as Error).stack ?? String(error));
  }
  const took = Date.now() - began;
  if (took > DRILL_BUDGET_MS) failures.push(`the drill took ${took} ms > ${DRILL_BUDGET_MS} ms`);
  process.stdout.write(`${name} drill: ${seconds(took)}, ${failures.length} failure(s)\n`);
  for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}
