import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AuthConfig } from '../config/auth.config';
import { ConcurrencyLimit } from './concurrency-limit';

/**
 * Marks hashes of the current scheme, bcrypt over base64(HMAC-SHA-384(NFC(password), pepper)), in the
 * modular-crypt style: `$hs384n$2b$12$…`.
 */
const SCHEME_PREFIX = '$hs384n$';
/** The same scheme over the password as typed, before passwords were normalised: verified, then upgraded. */
const UNNORMALISED_PREFIX = '$hs384$';

/** A password typed NFD on one keyboard and NFC on another is one password (API.md: NFC wherever checked). */
function normalised(password: string): string {
  return password.normalize('NFC');
}

/** The forms an unnormalised hash may have been made from: as typed now, or in either normal form. */
function typedForms(password: string): string[] {
  return [...new Set([password, normalised(password), password.normalize('NFD')])];
}

/**
 * Password hashing. The HMAC step turns any password into 64 base64 characters, so nothing past
 * bcrypt's 72-byte input is lost, and a pepper (when set) stays outside the database. Hashes written by
 * the original service (plain `$2b$` bcrypt of the raw password) still verify and are upgraded.
 */
@Injectable()
export class PasswordHasher {
  /**
   * One bcrypt at a time per core: more only queue inside libuv's pool, where they would also hold up
   * the file writes of the logs, and starve the event loop of CPU (liveness latency under a login flood).
   */
  private readonly slots = new ConcurrencyLimit(availableParallelism());

  constructor(private readonly config: AuthConfig) {}

  private prehash(password: string): string {
    return createHmac('sha384', this.config.passwordPepper).update(password, 'utf8').digest('base64');
  }

  async hash(password: string): Promise<string> {
    const prehashed = this.prehash(normalised(password));
    return SCHEME_PREFIX.slice(0, -1) + (await this.slots.run(() => bcrypt.hash(prehashed, this.config.bcryptRounds)));
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(SCHEME_PREFIX)) {
      const prehashed = this.prehash(normalised(password));
      return this.slots.run(() => bcrypt.compare(prehashed, stored.slice(SCHEME_PREFIX.length - 1)));
    }
    // Older hashes: each form costs a bcrypt, but only a non-ASCII password has more than one.
    for (const form of typedForms(password)) {
      if (await this.verifyUnnormalised(form, stored)) return true;
    }
    return false;
  }

  /** True for legacy hashes and hashes of another cost: rehash after the next successful login. */
  needsRehash(stored: string): boolean {
    if (!stored.startsWith(SCHEME_PREFIX)) return true;
    return bcrypt.getRounds(stored.slice(SCHEME_PREFIX.length - 1)) !== this.config.bcryptRounds;
  }

  private verifyUnnormalised(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(UNNORMALISED_PREFIX)) {
      const prehashed = this.prehash(password);
      return this.slots.run(() => bcrypt.compare(prehashed, stored.slice(UNNORMALISED_PREFIX.length - 1)));
    }
    if (/^\$2[aby]\$/.test(stored)) return this.slots.run(() => bcrypt.compare(password, stored));
    return Promise.resolve(false);
  }
}
