import { DynamicModule, Provider } from '@nestjs/common';
import { ConfigModule, ConfigService, getConfigToken, registerAs } from '@nestjs/config';
import { SecretKeys } from '../common/secrets/secret-cipher';
import { AuthConfig } from './auth.config';
import { Environment, loadSettings, Settings, SETTINGS_SECTIONS } from './settings';

/** One `registerAs` namespace per concern, each also injectable by its class. */
const NAMESPACES = SETTINGS_SECTIONS;

/** `configService.get('app', { infer: true })` is typed AppConfig. */
export type TypedConfigService = ConfigService<Settings, true>;

/** The root ConfigModule of one application and the settings its `validate` produced. */
export interface LoadedConfig {
  module: DynamicModule;
  /** What the caller needs before the application exists: the database to open, the port. */
  settings: Settings;
}

async function settingsConfigModule(validate: () => Settings): Promise<LoadedConfig> {
  let validated: Settings | undefined;
  const settings = (): Settings => validated ?? (validated = validate());
  const names = Object.keys(NAMESPACES) as (keyof Settings)[];
  const module = await ConfigModule.forRoot({
    isGlobal: true,
    // The environment is passed in (main.ts merges .env under process.env, tests give their own):
    // neither .env nor process.env is read here, so several apps in one process keep their settings.
    ignoreEnvFile: true,
    validatePredefined: false,
    skipProcessEnv: true,
    validate: settings,
    // A factory per call: registerAs marks the function itself, and each app has its own values.
    load: names.map((name) => registerAs(name, () => settings()[name])),
  });
  const aliases: Provider[] = [
    { provide: Settings, useFactory: settings },
    ...names.map((name) => ({
      provide: NAMESPACES[name],
      inject: [getConfigToken(name)],
      useFactory: (section: Settings[typeof name]) => section,
    })),
    // The cipher in common/ reads SECRET_KEY and SECRET_KEY_PREVIOUS through this shape.
    { provide: SecretKeys, useExisting: AuthConfig },
  ];
  // Added to ConfigModule's own (global) module, so the typed classes are global exactly as ConfigService is.
  return {
    module: {
      ...module,
      providers: [...(module.providers ?? []), ...aliases],
      exports: [...(module.exports ?? []), Settings, SecretKeys, ...names.map((name) => NAMESPACES[name])],
    },
    settings: settings(),
  };
}

/**
 * ConfigModule over one explicit environment, validated by loadSettings: a bad value rejects with
 * InvalidSettingsError, one line per bad setting.
 */
export function loadConfig(env: Environment): Promise<LoadedConfig> {
  return settingsConfigModule(() => loadSettings(env));
}

/** ConfigModule over settings a command has already validated (the seed slice of the db command). */
export function configOf(settings: Settings): Promise<LoadedConfig> {
  return settingsConfigModule(() => settings);
}
