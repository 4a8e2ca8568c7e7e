import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuthConfig } from '../config/auth.config';
import { SecurityModule } from '../security/security.module';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { ActionPagesController } from './action-pages/action-pages.controller';
import { AuthCookies } from './auth-cookies';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailTokensModule } from './email-tokens/email-tokens.module';
import { SecureAccountModule } from './secure-account/secure-account.module';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { PasswordsModule } from '../passwords/passwords.module';
import { PasskeysModule } from '../passkeys/passkeys.module';
import { PasskeySignInController } from './passkey-sign-in.controller';
import { SessionsModule } from '../sessions/sessions.module';
import { JwtStrategy } from './strategies/jwt.strategy';
import { MfaModule } from '../mfa/mfa.module';
import { MfaSignIn } from './mfa-sign-in';
import { AccessTokenService } from '../tokens/access-token.service';
import { Reauthentication } from './reauthentication/reauthentication';
import { IdentitiesModule } from '../identities/identities.module';
import { ExternalSignIn } from './external-sign-in';
import { OidcSignInController } from './oidc-sign-in.controller';
import { OidcReauthentication } from './oidc-reauthentication';
import { ReauthenticationController } from './reauthentication/reauthentication.controller';

@Module({
  imports: [
    AuditModule,
    UsersModule,
    SessionsModule,
    PasswordsModule,
    EmailTokensModule,
    SecureAccountModule,
    PasskeysModule,
    SecurityModule,
    MfaModule,
    IdentitiesModule,
    NotificationsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) => ({ secret: config.secretKey }),
    }),
  ],
  controllers: [
    AuthController,
    AccountController,
    PasskeySignInController,
    ReauthenticationController,
    OidcSignInController,
    ActionPagesController,
  ],
  providers: [
    AuthService,
    MfaSignIn,
    ExternalSignIn,
    OidcReauthentication,
    Reauthentication,
    AuthCookies,
    AccessTokenService,
    JwtStrategy,
    JwtAuthGuard,
    RolesGuard,
  ],
  // The guards are exported for app.module.ts, which declares the global stack in order.
  exports: [AuthCookies, AccessTokenService, JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
