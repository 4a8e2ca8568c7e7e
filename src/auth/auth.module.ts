import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthConfig } from '../config/auth.config';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AuthCookies } from './auth-cookies';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailTokensModule } from './email-tokens/email-tokens.module';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { PasswordsModule } from './passwords/passwords.module';
import { SessionsModule } from './sessions/sessions.module';
import { JwtStrategy } from './strategies/jwt.strategy';
import { AccessTokenService } from './tokens/access-token.service';

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    PasswordsModule,
    EmailTokensModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) => ({ secret: config.secretKey }),
    }),
  ],
  controllers: [AuthController, AccountController],
  providers: [
    AuthService,
    AuthCookies,
    AccessTokenService,
    JwtStrategy,
    // Order matters: authenticate first, then check the role.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthCookies, AccessTokenService],
})
export class AuthModule {}
