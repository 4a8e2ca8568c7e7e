import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';
import { bearer, SignedInClient } from './accounts';
import { stepUp } from './step-up';

/** An administrator's call, made right after a fresh proof of identity (the tools need one). */
export async function asAdmin(
  app: NestFastifyApplication,
  admin: SignedInClient,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  await stepUp(app, admin);
  return app.inject({ method, url, payload: payload as never, headers: { ...bearer(admin.accessToken), ...headers } });
}

export function ban(
  app: NestFastifyApplication,
  admin: SignedInClient,
  userId: string,
  body: { reason: string; until?: string },
): Promise<LightMyRequestResponse> {
  return asAdmin(app, admin, 'POST', `/admin/users/${userId}/ban`, body);
}

export interface ImpersonationToken {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

/** POST /admin/users/:id/impersonate, failing the test unless it answers a token. */
export async function impersonate(
  app: NestFastifyApplication,
  admin: SignedInClient,
  userId: string,
  reason = 'Ticket 4521: the export button is missing',
): Promise<ImpersonationToken> {
  const res = await asAdmin(app, admin, 'POST', `/admin/users/${userId}/impersonate`, { reason });
  if (res.statusCode !== 200) throw new Error(`impersonate failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The claims of a JWT, read without verifying (the test only looks at what the service put there). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function me(app: NestFastifyApplication, accessToken: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: '/user/me', headers: bearer(accessToken) });
}

/** A 403 problem with this `code` extension member. */
export function expectProblemCode(res: LightMyRequestResponse, code: string, label = ''): void {
  expect({ label, status: res.statusCode, code: (res.json() as { code?: string }).code }).toEqual({
    label,
    status: 403,
    code,
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}
