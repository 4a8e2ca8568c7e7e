import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AdminConfig } from './admin.config';
import { AppConfig } from './app.config';
import { AuditConfig } from './audit.config';
import { AuthConfig } from './auth.config';
import { DatabaseConfig } from './database.config';
import { LoggingConfig } from './logging.config';
import { MailConfig } from './mail.config';
import { MfaConfig } from './mfa.config';
import { RateLimitConfig } from './rate-limit.config';
import { WebauthnConfig } from './webauthn.config';
import { OidcConfig } from './oidc.config';
import { packageVersion } from './package-version';
import { secretKeyProblem } from './secret-key-rules';
import { settingNamesOf } from './setting.decorators';

export type Environment = Record<string, string | undefined>;

/** Every setting of the service, one validated class per concern. */
export class Settings {
  constructor(
    readonly app: AppConfig,
    readonly database: DatabaseConfig,
    readonly auth: AuthConfig,
    readonly rateLimit: RateLimitConfig,
    readonly logging: LoggingConfig,
    readonly mail: MailConfig,
    readonly admin: AdminConfig,
    readonly mfa: MfaConfig,
    readonly audit: AuditConfig,
    readonly webauthn: WebauthnConfig,
    readonly oidc: OidcConfig,
  ) {}
}

/** The class of each section of Settings, one per concern (ConfigModule's namespaces). */
export const SETTINGS_SECTIONS = {
  app: AppConfig,
  database: DatabaseConfig,
  auth: AuthConfig,
  rateLimit: RateLimitConfig,
  logging: LoggingConfig,
  mail: MailConfig,
  admin: AdminConfig,
  mfa: MfaConfig,
  audit: AuditConfig,
  webauthn: WebauthnConfig,
  oidc: OidcConfig,
} as const satisfies { [K in keyof Settings]: new () => Settings[K] };

/** Every environment name a setting is read from. */
export function settingNames(): ReadonlySet<string> {
  return new Set(Object.values(SETTINGS_SECTIONS).flatMap((section) => settingNamesOf(section)));
}

export class InvalidSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'InvalidSettingsError';
  }
}

function readSection<T extends object>(cls: new () => T, env: Environment, problems: string[]): T {
  const section = plainToInstance(cls, env, { excludeExtraneousValues: true });
  for (const error of validateSync(section)) {
    const first = Object.values(error.constraints ?? {})[0];
    if (first) problems.push(first);
  }
  for (const value of Object.values(section)) {
    if (value instanceof Error) problems.push(value.message);
  }
  return section;
}

function productionProblems(settings: Settings): string[] {
  const problems: string[] = [];
  if (!settings.app.isProduction) return problems;
  if (!settings.database.url) {
    problems.push(
      'DATABASE_URL is required in production: the embedded database would keep every account inside ' +
        'the container (set it to a postgresql:// URL)',
    );
  }
  if (settings.auth.passwordMinScore < 2) problems.push('PASSWORD_MIN_SCORE must be at least 2 in production');
  if (settings.app.debug) problems.push('DEBUG must be false in production');
  if (settings.auth.bcryptRounds < 10) problems.push('BCRYPT_ROUNDS must be at least 10 in production');
  return problems;
}

/**
 * An idle session disappears from the list after SESSION_IDLE_MINUTES; its last access token must have
 * expired by then, or a session that still works would be hidden from its owner.
 */
function sessionIdleProblem(auth: AuthConfig, reported: string[]): string | undefined {
  // Only between two valid numbers: a bad value of either is already reported on its own line.
  if (reported.some((line) => /^(SESSION_IDLE_MINUTES|ACCESS_TOKEN_EXPIRE_MINUTES) /.test(line))) return undefined;
  const idle = auth.sessionIdleMinutes;
  const access = auth.accessTokenExpireMinutes;
  if (idle === 0 || idle >= access) return undefined;
  return (
    `SESSION_IDLE_MINUTES must be 0 (off) or at least ACCESS_TOKEN_EXPIRE_MINUTES (${access}), ` +
    `so that no access token outlives its session's idle limit`
  );
}

/** Reads and validates every setting; throws InvalidSettingsError listing each bad one. */
export function loadSettings(env: Environment): Settings {
  const problems: string[] = [];
  const settings = new Settings(
    readSection(AppConfig, env, problems),
    readSection(DatabaseConfig, env, problems),
    readSection(AuthConfig, env, problems),
    readSection(RateLimitConfig, env, problems),
    readSection(LoggingConfig, env, problems),
    readSection(MailConfig, env, problems),
    readSection(AdminConfig, env, problems),
    readSection(MfaConfig, env, problems),
    readSection(AuditConfig, env, problems),
    readSection(WebauthnConfig, env, problems),
    readSection(OidcConfig, env, problems),
  );
  const secretKey = secretKeyProblem(settings.auth.secretKey, settings.app.isProduction);
  if (secretKey) problems.push(secretKey);
  const idleProblem = sessionIdleProblem(settings.auth, problems);
  if (idleProblem) problems.push(idleProblem);
  problems.push(...productionProblems(settings));
  if (problems.length > 0) throw new InvalidSettingsError(problems);
  settings.app.appVersion ??= packageVersion();
  settings.mfa.issuer = settings.mfa.issuerSetting ?? settings.app.appName;
  // After validation: the defaults are derived from APP_URL and CORS_ORIGINS, which are valid by now.
  settings.webauthn.resolveDefaults(settings.app);
  return settings;
}
