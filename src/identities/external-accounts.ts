import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import type { IDToken } from 'openid-client';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { hasInvisibleCharacters, normaliseEmail } from '../common/email-address';
import { OidcProviderSetting } from '../config/oidc.config';
import { KnownDeviceRepository } from '../notifications/known-device.repository';
import { ClientInfo } from '../sessions/sessions.service';
import { User } from '../users/entities/user.entity';
import { EmailTakenException } from '../users/users.errors';
import { UsersService } from '../users/users.service';
import { ExternalIdentityRepository } from './external-identity.repository';
import { OidcFailure } from './oidc-failure';

const NAME_MAX = 100;

/** The account a provider's verified claims sign in, and whether it was created by this sign-in. */
export interface ExternalAccount {
  user: User;
  created: boolean;
}

/**
 * Which account a provider's identity signs in (API.md): the one it is linked to (issuer + `sub`);
 * else, with an email the provider verified and is trusted for, a new account; an existing account
 * with that email is never taken over (account_exists).
 */
@Injectable()
export class ExternalAccounts {
  constructor(
    private readonly identities: ExternalIdentityRepository,
    private readonly users: UsersService,
    private readonly audit: AuditTrail,
    private readonly knownDevices: KnownDeviceRepository,
    private readonly clock: Clock,
  ) {}

  async forSignIn(provider: OidcProviderSetting, claims: IDToken, client: ClientInfo): Promise<ExternalAccount> {
    const email = verifiedEmail(provider, claims);
    const linked = await this.identities.findByIssuerSubject(claims.iss, claims.sub);
    if (linked) {
      const user = await this.users.findById(linked.userId);
      if (!user) throw new OidcFailure('invalid_request', 'identity without its account');
      if (!user.isActive) throw new OidcFailure('account_disabled', 'deactivated account');
      await this.identities.markUsed(linked.id, email ?? linked.email, this.clock.now());
      return { user, created: false };
    }
    if (!email) throw new OidcFailure('email_not_verified', 'no verified email from a trusted provider');
    if (await this.users.findByEmail(email)) throw new OidcFailure('account_exists', 'email of an existing account');
    try {
      const user = await this.users.createWithoutPassword(namesOf(claims, email), async (created, manager) => {
        const now = this.clock.now();
        await this.identities.insert(
          {
            userId: created.id,
            provider: provider.id,
            issuer: claims.iss,
            subject: claims.sub,
            email,
            linkedAt: now,
            lastUsedAt: now,
          },
          manager,
        );
        await this.audit.record(manager, {
          action: 'user.registered',
          actorId: created.id,
          targetUserId: created.id,
          client,
          details: { method: 'oidc', provider: provider.id },
        });
        await this.knownDevices.remember(created.id, client.userAgent, manager);
      });
      return { user, created: true };
    } catch (error) {
      // A registration with that email won the race.
      if (error instanceof EmailTakenException) throw new OidcFailure('account_exists', 'email taken meanwhile');
      throw error;
    }
  }
}

/** The email, when the provider says it is verified, is trusted to, and it passes the email rules. */
export function verifiedEmail(provider: OidcProviderSetting, claims: IDToken): string | undefined {
  const raw = claims.email;
  if (typeof raw !== 'string' || claims.email_verified !== true || !provider.trustEmailVerified) return undefined;
  if (raw.length > 254 || hasInvisibleCharacters(raw) || !isEmail(raw.trim(), { allow_utf8_local_part: true }))
    return undefined;
  return normaliseEmail(raw);
}

/** given_name/family_name, else name, else the email's local part; each cut to 100 characters. */
export function namesOf(claims: IDToken, email: string): { email: string; firstName: string; lastName: string } {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim().slice(0, NAME_MAX) : '');
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  if (given || family) return { email, firstName: given, lastName: family };
  const name = text(claims.name);
  return { email, firstName: name || email.split('@')[0].slice(0, NAME_MAX), lastName: '' };
}
