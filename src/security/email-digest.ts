import { createHash } from 'node:crypto';
import { normaliseEmail } from '../common/email-address';

/** Counters are keyed by a digest of the normalised address, so no store collects the addresses tried. */
export function emailDigest(email: string): string {
  return createHash('sha256').update(normaliseEmail(email)).digest('hex');
}
