import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';
import { AdminAccountSeed } from '../../src/users/admin-account-seed';
import { get, post } from './http';

export const STRONG_PASSWORD = 'SecurePass123!';

let counter = 0;

/** A fresh, unique email for each account a test makes. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}.${Date.now()}@example.com`;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface SignedInClient {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  sessionCookie: string;
  refreshCookie: string;
}

export async function register(
  app: NestFastifyApplication,
  overrides: Partial<Record<'firstName' | 'lastName' | 'email' | 'password', string>> = {},
): Promise<Credentials & { id: string }> {
  const body = { firstName: 'Jane', lastName: 'Roe', email: uniqueEmail(), password: STRONG_PASSWORD, ...overrides };
  const res = await post(app, '/user/auth/register', body);
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { email: body.email, password: body.password, id: (res.json() as { id: string }).id };
}

/** The value of one Set-Cookie header by cookie name. */
export function setCookie(res: LightMyRequestResponse, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return all.find((line) => line.startsWith(`${name}=`));
}

export function cookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  return setCookie(res, name)
    ?.split(';')[0]
    .slice(name.length + 1);
}

export async function login(app: NestFastifyApplication, credentials: Credentials): Promise<SignedInClient> {
  const res = await post(app, '/user/auth/login', credentials);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; accessToken: string; refreshToken: string };
  return {
    ...credentials,
    userId: body.user.id,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    sessionCookie: cookieValue(res, 'user_session') ?? '',
    refreshCookie: cookieValue(res, 'user_refresh') ?? '',
  };
}

export async function registerAndLogin(app: NestFastifyApplication): Promise<SignedInClient> {
  return login(app, await register(app));
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export const ADMIN_PASSWORD = 'Adm1n-Str0ng-Passphrase';

/** A new administrator, made as the seed command makes one, and signed in. */
export async function signedInAdmin(app: NestFastifyApplication): Promise<SignedInClient> {
  const email = uniqueEmail('admin');
  await app.get(AdminAccountSeed).ensureAdmin(email, ADMIN_PASSWORD);
  return login(app, { email, password: ADMIN_PASSWORD });
}

/** GET /user/me as the client (its bearer token). */
export function me(
  app: NestFastifyApplication,
  client: Pick<SignedInClient, 'accessToken'>,
): Promise<LightMyRequestResponse> {
  return get(app, '/user/me', bearer(client.accessToken));
}

/** POST /user/auth/refresh with the client's refresh token in the body. */
export function refresh(
  app: NestFastifyApplication,
  client: Pick<SignedInClient, 'refreshToken'>,
): Promise<LightMyRequestResponse> {
  return post(app, '/user/auth/refresh', { refreshToken: client.refreshToken });
}

/** POST /user/auth/logout as the client, with its refresh token. */
export function logout(
  app: NestFastifyApplication,
  client: Pick<SignedInClient, 'accessToken' | 'refreshToken'>,
): Promise<LightMyRequestResponse> {
  return post(app, '/user/auth/logout', { refreshToken: client.refreshToken }, bearer(client.accessToken));
}
