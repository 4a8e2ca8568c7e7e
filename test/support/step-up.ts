import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';
import { bearer, SignedInClient } from './accounts';
import { post } from './http';

/** REAUTH_MAX_AGE_SECONDS' default, in milliseconds: a session signed in longer ago needs a new proof. */
export const REAUTH_MAX_AGE_MS = 300_000;

/** POST /user/auth/reauthenticate with the client's password (and a code, for an account with TOTP). */
export function reauthenticate(
  app: NestFastifyApplication,
  client: Pick<SignedInClient, 'accessToken' | 'password'>,
  extra: { code?: string; password?: string } = {},
): Promise<LightMyRequestResponse> {
  return post(app, '/user/auth/reauthenticate', { password: client.password, ...extra }, bearer(client.accessToken));
}

/** Reauthenticates with the password, failing the test unless it is accepted. */
export async function stepUp(
  app: NestFastifyApplication,
  client: Pick<SignedInClient, 'accessToken' | 'password'>,
  extra: { code?: string } = {},
): Promise<void> {
  const res = await reauthenticate(app, client, extra);
  if (res.statusCode !== 200) throw new Error(`reauthenticate failed: ${res.statusCode} ${res.body}`);
}

/** The 403 of a route that needs a recent proof of identity. */
export function expectReauthenticationRequired(res: LightMyRequestResponse): void {
  expect({ status: res.statusCode, body: res.json() as unknown }).toEqual({
    status: 403,
    body: expect.objectContaining({ status: 403, code: 'reauthentication_required' }),
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}
