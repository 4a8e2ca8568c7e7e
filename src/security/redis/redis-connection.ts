import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DatabaseConfig } from '../../config/database.config';
import { RedisMode, parseRedisUrl } from '../../config/redis-url';
import { RateLimitConfig } from '../../config/rate-limit.config';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../security-logger';
import { withinDeadline } from './answer-deadline';
import { createRedisClient, modeOf, pingEveryMaster, RedisClient } from './redis-client';
import { redisKeyPrefix } from './redis-key-prefix';

/**
 * The longest a request waits on Redis before this instance's memory answers instead. Measured by
 * bench/redis-deadline.ts (both cores at 100 %, Redis healthy, 100,000 rate-limit calls a run): 50 ms
 * sent 4,106-14,092 calls to memory, 300 ms 0-1,716, 400 ms 0 in all 7 runs; a late answer marks Redis
 * down until the next probe, so each one costs up to 500 ms of calls. A hung Redis costs this once.
 */
export const REDIS_ANSWER_DEADLINE_MS = 400;
/** Provider of the deadline (REDIS_ANSWER_DEADLINE_MS): bench/redis-deadline.ts measures other values through it. */
export const REDIS_ANSWER_DEADLINE = Symbol('REDIS_ANSWER_DEADLINE');
const STARTUP_WAIT_MS = 1000;
/** While Redis is considered down, how often a ping checks whether it answers again. */
const PROBE_INTERVAL_MS = 500;
const QUIT_TIMEOUT_MS = 500;

export type RedisState = 'disabled' | 'up' | 'down';

function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onReady = (): void => finish(true);
    function finish(ready: boolean): void {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    }
    client.once('ready', onReady);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one Redis client of the instance (REDIS_URL), shared by rate limiting, lockout and health.
 * Commands fail fast instead of queueing (a dead Redis must not hang requests), and run() answers
 * from the caller's in-memory fallback whenever Redis does not, logging the outage and the recovery
 * once each.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client?: RedisClient;
  readonly keyPrefix: string;
  private reachable = false;
  private outageLogged = false;
  private probe?: NodeJS.Timeout;
  private closing = false;

  constructor(
    config: RateLimitConfig,
    database: DatabaseConfig,
    private readonly securityLog: SecurityLogger,
    private readonly metrics: MetricsService,
    @Inject(REDIS_ANSWER_DEADLINE) private readonly answerDeadlineMs: number,
  ) {
    this.keyPrefix = redisKeyPrefix(database);
    if (!config.redisUrl) return;
    const target = parseRedisUrl(config.redisUrl);
    // Settings refused a bad REDIS_URL at start already: this only narrows the type.
    if (target instanceof Error) throw target;
    this.client = createRedisClient(target);
    this.client.on('ready', () => this.markReachable());
    this.client.on('error', (error: Error) => this.markUnreachable(error));
    this.client.on('close', () => this.markUnreachable('connection closed'));
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** single, sentinel or cluster; undefined without REDIS_URL. */
  get mode(): RedisMode | undefined {
    return this.client ? modeOf(this.client) : undefined;
  }

  get state(): RedisState {
    if (!this.client) return 'disabled';
    return this.reachable ? 'up' : 'down';
  }

  /** Wait briefly for the first connection, so that the first requests already share counters. */
  async onModuleInit(): Promise<void> {
    if (this.client && !(await waitUntilReady(this.client, STARTUP_WAIT_MS))) {
      this.markUnreachable(`no answer within ${STARTUP_WAIT_MS} ms`);
    }
  }

  /** A namespaced key, so that deployments sharing one Redis server keep their counters apart. */
  key(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  /** Runs the command on Redis when it is reachable, else (or when it fails) the in-memory fallback. */
  async run<T>(onRedis: (client: RedisClient) => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) return inMemory();
    if (!this.reachable || client.status !== 'ready') return this.fallBack(inMemory);
    try {
      return await withinDeadline(onRedis(client), this.answerDeadlineMs);
    } catch (error) {
      this.markUnreachable(error);
      return this.fallBack(inMemory);
    }
  }

  /** Redis is configured but did not answer: this instance's memory answers, and the metric counts it. */
  private fallBack<T>(inMemory: () => Promise<T>): Promise<T> {
    this.metrics.redisFallback();
    return inMemory();
  }

  /**
   * A round trip for health checks and the probe: true when Redis answered PING within the deadline,
   * on a Cluster every master (a Cluster missing one cannot count that master's keys).
   */
  async ping(deadlineMs = 1000): Promise<boolean> {
    if (!this.client) return false;
    try {
      if (!(await withinDeadline(pingEveryMaster(this.client), deadlineMs))) throw new Error('a master did not answer');
      this.markReachable();
      return true;
    } catch (error) {
      this.markUnreachable(error);
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.stopProbe();
    const client = this.client;
    if (!client) return;
    if (client.status === 'ready') {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref());
      await Promise.race([client.quit().catch(() => undefined), timeout]);
    }
    client.disconnect(false);
  }

  private markReachable(): void {
    this.stopProbe();
    if (this.reachable) return;
    this.reachable = true;
    if (this.outageLogged) {
      this.outageLogged = false;
      this.securityLog.event('redis_available', {
        detail: 'Redis answers again: rate-limit and lockout counters are shared by every instance again',
      });
    }
  }

  private markUnreachable(reason: unknown): void {
    this.reachable = false;
    if (this.closing) return;
    if (!this.outageLogged) {
      this.outageLogged = true;
      this.securityLog.warn('redis_unavailable', {
        reason: describe(reason),
        detail: 'Redis is unreachable: rate limits and lockout hold per instance, in memory, until it answers',
      });
    }
    this.startProbe();
  }

  /** A connection that stays open while Redis does not answer emits no event: ping until it does. */
  private startProbe(): void {
    if (this.probe || !this.client) return;
    this.probe = setInterval(() => {
      if (this.client?.status === 'ready') void this.ping(PROBE_INTERVAL_MS / 2);
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}
