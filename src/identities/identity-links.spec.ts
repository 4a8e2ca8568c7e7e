import type { IDToken } from 'openid-client';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { OidcProviderSetting } from '../config/oidc.config';
import { SessionsService } from '../sessions/sessions.service';
import { SignedInCaller } from '../users/authenticated-user';
import { User } from '../users/entities/user.entity';
import { NO_PASSWORD, UsersService } from '../users/users.service';
import { ExternalIdentity } from './entities/external-identity.entity';
import { OidcFlow } from './entities/oidc-flow.entity';
import { ExternalIdentityRepository } from './external-identity.repository';
import { IdentityLinks } from './identity-links';
import { OidcProviders } from './oidc-providers';
import { SecurityNotifications } from '../notifications/security-notifications';
import { OidcFailure } from './oidc-failure';

const PROVIDER = { id: 'p', trustEmailVerified: true } as OidcProviderSetting;
const CLAIMS = { iss: 'https://p.example', sub: 's' } as IDToken;
const FLOW = { userId: 'u1', sessionId: 'sess' } as OidcFlow;

function build(options: { linkedTo?: string; user?: Partial<User>; identities?: number; live?: boolean } = {}) {
  const actions: string[] = [];
  const identity = options.linkedTo
    ? ({ id: 'i1', userId: options.linkedTo, provider: 'p' } as ExternalIdentity)
    : null;
  const repository = {
    findByIssuerSubject: () => Promise.resolve(identity),
    findOwned: () => Promise.resolve(identity),
    countOf: () => Promise.resolve(options.identities ?? 1),
    insert: () => {
      actions.push('insert');
      return Promise.resolve({ id: 'new' });
    },
    remove: () => Promise.resolve(actions.push('remove') > 0),
    markUsed: () => Promise.resolve(),
  } as unknown as ExternalIdentityRepository;
  const user = { id: 'u1', passwordHash: 'hash', passkeyCount: 0, ...options.user } as User;
  const links = new IdentityLinks(
    { transaction: (work: (manager: unknown) => unknown) => Promise.resolve(work({})) } as unknown as DataSource,
    repository,
    { lockById: () => Promise.resolve(user), findById: () => Promise.resolve(user) } as unknown as UsersService,
    {
      authenticatedAt: () => Promise.resolve(options.live === false ? undefined : new Date()),
      revokeOthers: () => Promise.resolve(void actions.push('revokeOthers')),
      markAuthenticated: () => Promise.resolve(options.live !== false),
    } as unknown as SessionsService,
    {
      record: (_m: unknown, row: { action: string }) => Promise.resolve(void actions.push(row.action)),
    } as unknown as AuditTrail,
    { now: () => new Date() } as Clock,
    {
      queue: (_m: unknown, _account: unknown, notice: { event: string }) =>
        Promise.resolve(void actions.push(`mail:${notice.event}`)),
      sent: () => undefined,
    } as unknown as SecurityNotifications,
    { find: () => ({ id: 'p', name: 'Provider P' }) } as unknown as OidcProviders,
  );
  return { actions, links };
}

const CALLER = { user: { id: 'u1' }, sessionId: 'sess' } as SignedInCaller;

describe('IdentityLinks', () => {
  it('links a new identity, ends the other sessions and records it', async () => {
    const { actions, links } = build();
    await links.link(FLOW, PROVIDER, CLAIMS);
    expect(actions).toEqual(['insert', 'revokeOthers', 'identity.linked', 'mail:identity_linked']);
  });

  it('refuses an identity linked to another account: identity_in_use, nothing written', async () => {
    const { actions, links } = build({ linkedTo: 'u2' });
    await expect(links.link(FLOW, PROVIDER, CLAIMS)).rejects.toMatchObject({ code: 'identity_in_use' });
    expect(actions).toEqual([]);
  });

  it('refuses a link whose asking session has ended', async () => {
    const { links } = build({ live: false });
    await expect(links.link(FLOW, PROVIDER, CLAIMS)).rejects.toBeInstanceOf(OidcFailure);
  });

  it('reauthenticates only through an identity linked to the session user', async () => {
    await expect(build().links.reauthenticate(FLOW, PROVIDER, CLAIMS)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(build({ linkedTo: 'u2' }).links.reauthenticate(FLOW, PROVIDER, CLAIMS)).rejects.toBeInstanceOf(
      OidcFailure,
    );
    const { actions, links } = build({ linkedTo: 'u1' });
    await links.reauthenticate(FLOW, PROVIDER, CLAIMS);
    expect(actions).toEqual(['reauth.succeeded']);
  });

  it.each([
    ['a password', { passwordHash: 'hash' }, 1, 204],
    ['a passkey', { passwordHash: NO_PASSWORD, passkeyCount: 1 }, 1, 204],
    ['another identity', { passwordHash: NO_PASSWORD }, 2, 204],
    ['nothing else', { passwordHash: NO_PASSWORD }, 1, 409],
  ])('unlinks when the account keeps %s, else 409', async (_label, user, identities, status) => {
    const { actions, links } = build({ linkedTo: 'u1', user, identities });
    const outcome = await links.unlink(CALLER, 'i1').then(
      () => 204,
      (error: ProblemException) => error.getStatus(),
    );
    expect(outcome).toBe(status);
    expect(actions).toEqual(status === 204 ? ['remove', 'identity.unlinked', 'mail:identity_unlinked'] : []);
  });

  it("answers 404 for an identity that is not the caller's", async () => {
    const { links } = build();
    await expect(links.unlink(CALLER, 'i1')).rejects.toMatchObject({ status: 404 });
  });
});
