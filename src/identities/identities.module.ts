import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { IdentitiesController } from './identities.controller';
import { IdentityLinks } from './identity-links';
import { ExternalIdentity } from './entities/external-identity.entity';
import { OidcFlow } from './entities/oidc-flow.entity';
import { ExternalAccounts } from './external-accounts';
import { ExternalIdentityRepository } from './external-identity.repository';
import { OidcProvidersController } from './oidc-providers.controller';
import { OidcFlowCookie } from './oidc-flow-cookie';
import { OidcFlowRepository } from './oidc-flow.repository';
import { OidcFlows } from './oidc-flows';
import { OidcProviders } from './oidc-providers';
import { OidcSignInStart } from './oidc-sign-in-start';

/** External OpenID providers: flow state, the code exchange, the account an identity signs in. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ExternalIdentity, OidcFlow]),
    UsersModule,
    SessionsModule,
    AuditModule,
    NotificationsModule,
  ],
  controllers: [OidcProvidersController, IdentitiesController],
  providers: [
    ExternalIdentityRepository,
    OidcFlowRepository,
    OidcProviders,
    OidcFlows,
    OidcFlowCookie,
    OidcSignInStart,
    ExternalAccounts,
    IdentityLinks,
  ],
  exports: [OidcProviders, OidcFlows, OidcFlowCookie, OidcSignInStart, ExternalAccounts, IdentityLinks],
})
export class IdentitiesModule {}
