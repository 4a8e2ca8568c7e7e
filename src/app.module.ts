import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/guards/jwt-auth.guard';
import { RolesGuard } from './auth/guards/roles.guard';
import { CommonModule } from './common/common.module';
import { HandlerContextInterceptor } from './common/handler-context/handler-context.interceptor';
import { ProblemDetailsFilter } from './common/problem-details/problem-details.filter';
import { createValidationPipe } from './common/validation.pipe';
import { DatabaseModule } from './database/database.module';
import { DatabaseServer } from './database/database-server';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { RateLimitGuard } from './security/rate-limit/rate-limit.guard';
import { SecurityModule } from './security/security.module';
import { UsersModule } from './users/users.module';
import { ImpersonationGuard } from './users/impersonation/impersonation.guard';
import { AdministrationModule } from './administration/administration.module';

@Module({})
export class AppModule {
  /** `configModule` is loadConfig's ConfigModule: the settings validated before the database opened. */
  static forRoot(configModule: DynamicModule, databaseServer: DatabaseServer): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule,
        CommonModule,
        LoggingModule,
        SecurityModule,
        DatabaseModule.forRoot(databaseServer),
        LifecycleModule,
        MetricsModule,
        HealthModule,
        UsersModule,
        AuthModule,
        AdministrationModule,
        RetentionModule,
      ],
      // The global stack, in the order Nest applies it: guards (rate limit first, so that floods of bad
      // tokens are limited too; then authentication; then what an impersonation token may not do; then
      // the role), the interceptor that tags the
      // request with its handler and caller, the exception filter, the pipe.
      providers: [
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: ImpersonationGuard },
        { provide: APP_GUARD, useExisting: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: HandlerContextInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
