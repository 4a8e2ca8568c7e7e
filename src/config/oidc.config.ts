import { Allow } from 'class-validator';
import { ParsedSetting } from './setting.decorators';

/** One OpenID provider of OIDC_PROVIDERS, its defaults filled in. */
export interface OidcProviderSetting {
  /** Lower-case letters, digits and dashes: the provider's name in routes (`/user/auth/oidc/<id>/…`). */
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  /** false for a provider whose users can assert addresses they do not own (a multi-tenant directory). */
  trustEmailVerified: boolean;
}

const KNOWN_KEYS = new Set(['id', 'name', 'issuer', 'clientId', 'clientSecret', 'scopes', 'trustEmailVerified']);
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max;
}

/** https, or http on a loopback host (a provider run beside the service in development and tests). */
function issuerProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be the provider URL, e.g. https://accounts.google.com';
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' && !url.search && !url.hash) return undefined;
    if (url.protocol === 'http:' && LOOPBACK.has(url.hostname) && !url.search && !url.hash) return undefined;
  } catch {
    // reported below
  }
  return 'must be an https URL without query or fragment (http only on localhost)';
}

function providerProblems(entry: unknown, at: string, seen: Set<string>): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [`${at} must be an object`];
  const value = entry as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(value)) if (!KNOWN_KEYS.has(key)) problems.push(`${at} has an unknown key "${key}"`);
  if (typeof value.id !== 'string' || !ID.test(value.id) || value.id.length > 40)
    problems.push(`${at}.id must be lower-case letters, digits and dashes (at most 40)`);
  else if (seen.has(value.id)) problems.push(`${at}.id "${value.id}" is used twice`);
  else seen.add(value.id);
  if (!isText(value.name, 100)) problems.push(`${at}.name must be text of 1 to 100 characters`);
  const issuer = issuerProblem(value.issuer);
  if (issuer) problems.push(`${at}.issuer ${issuer}`);
  if (!isText(value.clientId, 500)) problems.push(`${at}.clientId must be text of 1 to 500 characters`);
  if (value.clientSecret !== undefined && !isText(value.clientSecret, 2000))
    problems.push(`${at}.clientSecret must be text when given`);
  if (
    value.scopes !== undefined &&
    (!Array.isArray(value.scopes) ||
      !value.scopes.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) ||
      !value.scopes.includes('openid'))
  )
    problems.push(`${at}.scopes must be an array of scope names that includes "openid"`);
  if (value.trustEmailVerified !== undefined && typeof value.trustEmailVerified !== 'boolean')
    problems.push(`${at}.trustEmailVerified must be true or false`);
  return problems;
}

/**
 * OIDC_PROVIDERS: a JSON array of providers. Every problem is reported, each on its own line (the
 * lines after the first are named again, as loadSettings prints one line per problem).
 */
export function parseOidcProviders(raw: string | undefined): OidcProviderSetting[] | Error {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return new Error('must be a JSON array of providers, e.g. [{"id":"google","name":"Google",…}]');
  }
  if (!Array.isArray(parsed)) return new Error('must be a JSON array of providers');
  const seen = new Set<string>();
  const problems = parsed.flatMap((entry, index) => providerProblems(entry, `[${index}]`, seen));
  if (problems.length > 0) return new Error(problems.join('\nOIDC_PROVIDERS '));
  return (parsed as Record<string, unknown>[]).map((entry) => ({
    id: entry.id as string,
    name: (entry.name as string).trim(),
    issuer: entry.issuer as string,
    clientId: entry.clientId as string,
    clientSecret: entry.clientSecret as string | undefined,
    scopes: (entry.scopes as string[] | undefined) ?? ['openid', 'email', 'profile'],
    trustEmailVerified: (entry.trustEmailVerified as boolean | undefined) ?? true,
  }));
}

/** The OpenID providers a user may sign in with. */
export class OidcConfig {
  // Allow(): parseOidcProviders validates; class-validator would otherwise call the section unknown.
  @Allow()
  @ParsedSetting('OIDC_PROVIDERS', parseOidcProviders)
  providers!: OidcProviderSetting[];

  provider(id: string): OidcProviderSetting | undefined {
    return this.providers.find((provider) => provider.id === id);
  }
}
