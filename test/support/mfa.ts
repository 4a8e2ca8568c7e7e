import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';
import { totpCodeAt } from '../../src/mfa/totp-codes';
import { bearer, Credentials, SignedInClient } from './accounts';
import { ControlledClock } from './controlled-clock';
import { post } from './http';

export const STEP_MS = 30_000;

/** Moves the clock to the middle of a fresh TOTP step: ±1 and ±2 steps are then unambiguous for 15 s. */
export function nextMidStep(clock: ControlledClock): void {
  const now = clock.now().getTime();
  clock.advance(STEP_MS - (now % STEP_MS) + STEP_MS / 2);
}

/** What the user's authenticator app shows, `steps` steps away from the app's now. */
export function codeFor(secret: string, clock: ControlledClock, steps = 0): string {
  return totpCodeAt(secret, new Date(clock.now().getTime() + steps * STEP_MS));
}

/** Sets up and enables TOTP for a signed-in client; the clock then sits in a fresh step. */
export async function enableTotp(
  app: NestFastifyApplication,
  client: SignedInClient,
  clock: ControlledClock,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await post(app, '/user/mfa/totp/setup', undefined, bearer(client.accessToken));
  if (setup.statusCode !== 200) throw new Error(`setup failed: ${setup.statusCode} ${setup.body}`);
  const { secret } = setup.json() as { secret: string };
  nextMidStep(clock);
  const enabled = await post(
    app,
    '/user/mfa/totp/enable',
    { code: codeFor(secret, clock) },
    bearer(client.accessToken),
  );
  if (enabled.statusCode !== 200) throw new Error(`enable failed: ${enabled.statusCode} ${enabled.body}`);
  // The code just used is spent: the next sign-in uses the next step's.
  nextMidStep(clock);
  return { secret, recoveryCodes: (enabled.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** The first step of a sign-in for an account with TOTP: the mfaToken. */
export async function passwordStep(app: NestFastifyApplication, credentials: Credentials): Promise<string> {
  const res = await post(app, '/user/auth/login', credentials);
  const body = res.json() as { mfaRequired?: boolean; mfaToken?: string };
  if (res.statusCode !== 200 || !body.mfaRequired || !body.mfaToken) {
    throw new Error(`expected mfaRequired: ${res.statusCode} ${res.body}`);
  }
  return body.mfaToken;
}

export function secondStep(
  app: NestFastifyApplication,
  mfaToken: string,
  code: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return post(app, '/user/auth/mfa', { mfaToken, code }, headers);
}
