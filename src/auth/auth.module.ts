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
import { MfaSignIn } from './sign-in/mfa-sign-in';
import { PasskeySignIn } from './sign-in/passkey-sign-in';
import { PasswordSignIn } from './sign-in/password-sign-in';
import { SessionIssuer } from './sign-in/session-issuer';
import { SignInEligibility } from './sign-in/sign-in-eligibility';
import { SignInFailures } from './sign-in/sign-in-failures';
import { SignedInReply } from './sign-in/signed-in-reply';
import { AccessTokenService } from '../tokens/access-token.service';
import { VerificationKeys } from '../tokens/verification-keys';
import { VerifiedTokens } from '../tokens/verified-tokens';
import { KeysModule } from '../keys/keys.module';
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
    KeysModule,
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
    // The one sign-in protocol: every method verifies its proof, then goes through the same steps.
    PasswordSignIn,
    MfaSignIn,
    PasskeySignIn,
    SignInEligibility,
    SignInFailures,
    SessionIssuer,
    SignedInReply,
    ExternalSignIn,
    OidcReauthentication,
    Reauthentication,
    AuthCookies,
    AccessTokenService,
    VerificationKeys,
    VerifiedTokens,
    JwtStrategy,
    JwtAuthGuard,
    RolesGuard,
  ],
  // The guards are exported for app.module.ts, which declares the global stack in order.
  exports: [AuthCookies, AccessTokenService, JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
