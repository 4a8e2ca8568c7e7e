import { isIP } from 'node:net';
import {
  BoolSetting,
  ChoiceSetting,
  IntSetting,
  OptionalStringSetting,
  ParsedSetting,
  parseInteger,
  StringSetting,
} from './setting.decorators';

export const ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Fastify's trustProxy forms: off, everything, a hop count, or a list of proxy addresses. */
export type TrustProxy = boolean | number | string[];

export function parseTrustProxy(raw: string | undefined): TrustProxy | Error {
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const addresses = raw.split(',').map((part) => part.trim());
  const valid = addresses.every((entry) => {
    const [address, prefix] = entry.split('/');
    return isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
  });
  return valid ? addresses : new Error('must be true, false, a hop count or a comma-separated list of proxy addresses');
}

export function parseCorsOrigins(raw: string | undefined): string[] | Error {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = raw.startsWith('[') ? JSON.parse(raw) : raw.split(',').map((origin) => origin.trim());
  } catch {
    return new Error('must be a JSON array of origins, e.g. ["http://localhost:3000"]');
  }
  if (!Array.isArray(parsed) || !parsed.every((origin) => typeof origin === 'string')) {
    return new Error('must be a JSON array of origins, e.g. ["http://localhost:3000"]');
  }
  const origins = (parsed as string[]).map((origin) => origin.replace(/\/+$/, ''));
  const bad = origins.find((origin) => !isOrigin(origin));
  return bad === undefined ? origins : new Error(`holds "${bad}", which is not an http(s) origin (never * or null)`);
}

/** Unset: the environment's default (3000 ms in production, 0 elsewhere). */
export function parseShutdownDelay(raw: string | undefined): number | undefined | Error {
  if (raw === undefined) return undefined;
  const ms = parseInteger(raw);
  return Number.isInteger(ms) && ms >= 0 && ms <= 600_000 ? ms : new Error('must be a number between 0 and 600000');
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** What the service is, where it listens and how its HTTP layer behaves. */
export class AppConfig {
  @StringSetting('APP_NAME', 'ClickBit Backend API') appName!: string;
  @OptionalStringSetting('APP_VERSION') appVersion?: string;
  @ChoiceSetting('ENVIRONMENT', 'development', ENVIRONMENTS) environment!: Environment;
  @BoolSetting('DEBUG', false) debug!: boolean;
  @StringSetting('HOST', '0.0.0.0') host!: string;
  @IntSetting('PORT', 8000, 1, 65535) port!: number;
  @OptionalStringSetting('APP_URL', /^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s) URL')
  appUrl?: string;
  /** Where mailed links point; unset, they point at the service itself, which serves their pages. */
  @OptionalStringSetting('FRONTEND_URL', /^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s) URL')
  frontendUrl?: string;
  @ParsedSetting('TRUST_PROXY', parseTrustProxy) trustProxy!: TrustProxy;
  @ParsedSetting('CORS_ORIGINS', parseCorsOrigins) corsOrigins!: string[];
  @BoolSetting('CORS_ALLOW_CREDENTIALS', true) corsAllowCredentials!: boolean;
  @IntSetting('BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600) bodyLimitBytes!: number;
  @IntSetting('REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000) requestTimeoutMs!: number;
  @IntSetting('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000) shutdownTimeoutMs!: number;
  /** When set, /metrics and the detailed health routes require it as a bearer token. */
  @OptionalStringSetting('METRICS_TOKEN') metricsToken?: string;
  @BoolSetting('DOCS_ENABLED', true) docsEnabled!: boolean;
  @ParsedSetting('SHUTDOWN_DELAY_MS', parseShutdownDelay) shutdownDelaySetting?: number;

  /** How long a stopping instance keeps serving (with `Connection: close`) before it stops accepting. */
  get shutdownDelayMs(): number {
    return this.shutdownDelaySetting ?? (this.isProduction ? 3000 : 0);
  }

  get isProduction(): boolean {
    return this.environment === 'production';
  }

  /**
   * Where mailed links point (`${linkBase}/verify-email?token=…`): FRONTEND_URL, else APP_URL (their
   * path kept, trailing slash dropped), else the service's own origin.
   */
  get linkBase(): string {
    return (this.frontendUrl ?? this.appUrl ?? this.origin).replace(/\/+$/, '');
  }

  /** The service's own origin, used by the CSRF check beside CORS_ORIGINS. */
  get origin(): string {
    return new URL(this.appUrl ?? `http://localhost:${this.port}`).origin;
  }
}
