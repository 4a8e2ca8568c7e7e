import { checkRedisUrl } from './redis-url';
import { BoolSetting, IntSetting, ParsedSetting } from './setting.decorators';

export class RateLimitConfig {
  @BoolSetting('RATE_LIMIT_ENABLED', true) enabled!: boolean;
  @IntSetting('RATE_LIMIT_REQUESTS', 100, 1, 10_000_000) requests!: number;
  @IntSetting('RATE_LIMIT_WINDOW', 3600, 1, 604_800) window!: number;
  @IntSetting('RATE_LIMIT_AUTH_REQUESTS', 10, 1, 10_000_000) authRequests!: number;
  @IntSetting('RATE_LIMIT_AUTH_WINDOW', 60, 1, 604_800) authWindow!: number;
  @IntSetting('RATE_LIMIT_EMAIL_REQUESTS', 3, 1, 10_000) emailRequests!: number;
  @IntSetting('RATE_LIMIT_EMAIL_WINDOW', 3600, 1, 604_800) emailWindow!: number;
  @IntSetting('LOCKOUT_THRESHOLD', 5, 1, 1000) lockoutThreshold!: number;
  @IntSetting('LOCKOUT_WINDOW', 900, 1, 86_400) lockoutWindow!: number;
  @IntSetting('LOCKOUT_DURATION', 900, 1, 86_400) lockoutDuration!: number;
  /** One server, a Sentinel group or a Cluster: see redis-url.ts for the forms. */
  @ParsedSetting('REDIS_URL', checkRedisUrl) redisUrl?: string;
}
