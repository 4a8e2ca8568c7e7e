import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of now is accepted (clock drift, a code typed as it turned). */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

/** A 160-bit secret in Base32, the form authenticator apps take. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret });
}

/** The time step a moment falls in. */
export function timeStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** When a code of this step stops being accepted: the end of the step after it. */
export function stepAcceptedUntil(timeStep: number): Date {
  return new Date((timeStep + 2) * TOTP_PERIOD_SECONDS * 1000);
}

/** The code of a moment (tests and benchmarks play the authenticator with it). */
export function totpCodeAt(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The time step the code belongs to when it is valid at `now` within one step either side, else null.
 * Sync: the default noble crypto plugin hashes synchronously (about 0.15 ms a verification here).
 */
export function matchingTimeStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
  });
  // The functional API types HOTP and TOTP results together; a TOTP result carries its step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
