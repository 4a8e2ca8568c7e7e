import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IDToken } from 'openid-client';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { OidcProviderSetting } from '../config/oidc.config';
import { SessionsService } from '../sessions/sessions.service';
import { SignedInCaller } from '../users/authenticated-user';
import { NO_PASSWORD, UsersService } from '../users/users.service';
import { OidcFlow } from './entities/oidc-flow.entity';
import { ExternalIdentity } from './entities/external-identity.entity';
import { verifiedEmail } from './external-accounts';
import { ExternalIdentityRepository } from './external-identity.repository';
import { OidcFailure } from './oidc-failure';
import { OidcProviders } from './oidc-providers';
import { SecurityNotifications } from '../notifications/security-notifications';

/**
 * A signed-in user's identities at providers: linking one (from a flow its session started), listing,
 * and unlinking, never the account's last way to sign in.
 */
@Injectable()
export class IdentityLinks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: ExternalIdentityRepository,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly notifications: SecurityNotifications,
    private readonly providers: OidcProviders,
  ) {}

  list(userId: string): Promise<ExternalIdentity[]> {
    return this.identities.listOf(userId);
  }

  /**
   * The callback of a link flow: the session that asked must still be live; an identity linked to
   * another account is refused (identity_in_use). Every other session of the user ends, as when a
   * passkey is added.
   */
  async link(flow: OidcFlow, provider: OidcProviderSetting, claims: IDToken): Promise<void> {
    if (!flow.userId || !flow.sessionId || !(await this.sessions.authenticatedAt(flow.sessionId)))
      throw new OidcFailure('invalid_request', 'the session that asked has ended');
    const existing = await this.identities.findByIssuerSubject(claims.iss, claims.sub);
    if (existing && existing.userId !== flow.userId)
      throw new OidcFailure('identity_in_use', 'identity linked to another account');
    if (existing) return;
    const userId = flow.userId;
    const sessionId = flow.sessionId;
    // Read before the transaction: on the embedded database a query outside it would wait for its one connection.
    const owner = await this.users.findById(userId);
    await this.dataSource
      .transaction(async (manager) => {
        const now = this.clock.now();
        const email = verifiedEmail(provider, claims) ?? null;
        const identity = await this.identities.insert(
          {
            userId,
            provider: provider.id,
            issuer: claims.iss,
            subject: claims.sub,
            email,
            linkedAt: now,
            lastUsedAt: null,
          },
          manager,
        );
        await this.sessions.revokeOthers(userId, sessionId, 'identity_linked', manager);
        await this.audit.record(manager, {
          action: 'identity.linked',
          actorId: userId,
          targetUserId: userId,
          details: { provider: provider.id, identityId: identity.id },
        });
        const notice = { event: 'identity_linked', identityId: identity.id, providerName: provider.name } as const;
        if (owner) await this.notifications.queue(manager, owner, notice);
      })
      .then(() => this.notifications.sent())
      .catch((error: unknown) => {
        // Linked elsewhere at the same moment (the unique index on issuer + subject).
        if ((error as { code?: string }).code === '23505')
          throw new OidcFailure('identity_in_use', 'identity linked meanwhile');
        throw error;
      });
  }

  /**
   * The callback of a reauthentication: the identity must be linked to the user of the session that
   * asked, which must still be live; its proof of identity is then now.
   */
  async reauthenticate(flow: OidcFlow, provider: OidcProviderSetting, claims: IDToken): Promise<void> {
    const linked = await this.identities.findByIssuerSubject(claims.iss, claims.sub);
    if (!linked || !flow.userId || !flow.sessionId || linked.userId !== flow.userId)
      throw new OidcFailure('invalid_request', 'reauthentication with an identity not linked to the session user');
    const { userId, sessionId } = flow;
    const marked = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      if (!(await this.sessions.markAuthenticated(sessionId, now, manager))) return false;
      await this.identities.markUsed(linked.id, linked.email, now, manager);
      await this.audit.record(manager, {
        action: 'reauth.succeeded',
        actorId: userId,
        targetUserId: userId,
        details: { method: 'oidc', provider: provider.id, sessionId },
      });
      return true;
    });
    if (!marked) throw new OidcFailure('invalid_request', 'the session that asked has ended');
  }

  /** The names of the providers linked to the account, for the mails that should name them. */
  async linkedProviderNames(userId: string, manager?: EntityManager): Promise<string[]> {
    const linked = await this.identities.listOf(userId, manager);
    return linked.map((identity) => this.providers.find(identity.provider)?.name ?? identity.provider);
  }

  /**
   * The secure-account step: the identity a notified link added goes, if it is still there, in the
   * caller's transaction (the owner then sets a password from the reset mail). Answers whether it was.
   */
  removeAdded(userId: string, identityId: string, manager: EntityManager): Promise<boolean> {
    return this.identities.remove(userId, identityId, manager);
  }

  /** 404 when not the caller's; 409 when it is the account's last way to sign in. */
  async unlink(caller: SignedInCaller, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.lockById(caller.user.id, manager);
      const identity = await this.identities.findOwned(caller.user.id, id, manager);
      if (!user || !identity) throw new ProblemException(404, 'No such identity on this account');
      const others = (await this.identities.countOf(user.id, manager)) - 1;
      if (user.passwordHash === NO_PASSWORD && user.passkeyCount === 0 && others === 0)
        throw new ProblemException(
          409,
          'This is the last way to sign in to this account: set a password (forgot-password) or add a passkey first',
        );
      await this.identities.remove(user.id, id, manager);
      await this.audit.record(manager, {
        action: 'identity.unlinked',
        actorId: user.id,
        targetUserId: user.id,
        details: { provider: identity.provider, identityId: identity.id },
      });
      const providerName = this.providers.find(identity.provider)?.name ?? identity.provider;
      await this.notifications.queue(manager, user, { event: 'identity_unlinked', providerName });
    });
    this.notifications.sent();
  }
}
