import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A fresh set of codes shaped `xxxx-xxxx-xxxx-xxxx`: 16 characters of a 32-letter alphabet, 80
 * random bits each, enough that a plain SHA-256 of a code cannot be reversed by guessing.
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    // 256 is a multiple of 32: byte % 32 is uniform.
    const characters = Array.from(randomBytes(16), (byte) => ALPHABET[byte % 32]).join('');
    return [0, 4, 8, 12].map((start) => characters.slice(start, start + 4)).join('-');
  });
}

/** What a person types back: case, spaces and hyphens do not matter. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

/** True for something shaped like a recovery code (16 letters of the alphabet once normalised). */
export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z2-7]{16}$/.test(normaliseRecoveryCode(input));
}

/** Codes are stored only as this hash of their normalised form. */
export function hashRecoveryCode(input: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(input), 'utf8').digest('hex');
}
