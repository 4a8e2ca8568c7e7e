import { DynamicModule, Global, Module } from '@nestjs/common';
import { AdminConfig } from './admin.config';
import { AppConfig } from './app.config';
import { AuthConfig } from './auth.config';
import { DatabaseConfig } from './database.config';
import { LoggingConfig } from './logging.config';
import { MailConfig } from './mail.config';
import { RateLimitConfig } from './rate-limit.config';
import { Settings } from './settings';

/** Makes each settings class injectable by its type; nothing else reads process.env. */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(settings: Settings): DynamicModule {
    const providers = [
      { provide: Settings, useValue: settings },
      { provide: AppConfig, useValue: settings.app },
      { provide: DatabaseConfig, useValue: settings.database },
      { provide: AuthConfig, useValue: settings.auth },
      { provide: RateLimitConfig, useValue: settings.rateLimit },
      { provide: LoggingConfig, useValue: settings.logging },
      { provide: MailConfig, useValue: settings.mail },
      { provide: AdminConfig, useValue: settings.admin },
    ];
    return { module: SettingsModule, providers, exports: providers.map((p) => p.provide) };
  }
}
