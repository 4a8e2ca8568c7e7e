import { OpenAPIObject } from '@nestjs/swagger';

type TagObject = NonNullable<OpenAPIObject['tags']>[number];

/**
 * The document's tags in the order of a client's journey (the contract's Documentation section).
 * Swagger UI and ReDoc show tags in the order of this list; without it they follow route discovery,
 * which put Health first and Authentication fourth.
 */
export const API_TAGS: readonly TagObject[] = [
  {
    name: 'Authentication',
    description:
      'Register, sign in (password, second factor, passkey), refresh and sign out; email verification, ' +
      'password reset and the pages their mailed links open',
  },
  { name: 'Current user', description: 'The signed-in account: profile, password, deletion' },
  { name: 'Sessions', description: "The account's signed-in devices, each revocable" },
  { name: 'Second factors', description: 'TOTP authenticator apps and recovery codes' },
  { name: 'Passkeys', description: 'WebAuthn credentials of the signed-in account' },
  { name: 'Identities', description: 'External OpenID Connect providers linked to the account' },
  { name: 'Administration', description: 'Accounts managed by an admin (role admin only)' },
  { name: 'Audit', description: 'The audit trail (admin) and your own activity' },
  { name: 'Keys', description: 'Public signing keys (JWKS) for services that verify access tokens' },
  { name: 'Health', description: 'Probes for orchestrators and operators; never rate limited' },
  { name: 'Metrics', description: 'Prometheus metrics' },
];

/**
 * The tags the document's operations use, in the journey's order; a tag missing from API_TAGS comes
 * last rather than vanishing from the page.
 */
export function orderedTags(document: OpenAPIObject): TagObject[] {
  const used = new Set<string>();
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Array<{ tags?: string[] }>) {
      for (const tag of operation.tags ?? []) used.add(tag);
    }
  }
  const known = API_TAGS.filter((tag) => used.has(tag.name));
  const unknown = [...used].filter((name) => !API_TAGS.some((tag) => tag.name === name)).map((name) => ({ name }));
  return [...known, ...unknown];
}
