import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AuthConfig } from '../../config/auth.config';
import { ConcurrencyLimit } from './concurrency-limit';

/**
 * Marks hashes of the current scheme, bcrypt over base64(HMAC-SHA-384(password, pepper)), in the
 * modular-crypt style: `$hs384$2b$12$…`.
 */
const SCHEME_PREFIX = '$hs384';

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
    const prehashed = this.prehash(password);
    return SCHEME_PREFIX + (await this.slots.run(() => bcrypt.hash(prehashed, this.config.bcryptRounds)));
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(SCHEME_PREFIX)) {
      const prehashed = this.prehash(password);
      return this.slots.run(() => bcrypt.compare(prehashed, stored.slice(SCHEME_PREFIX.length)));
    }
    if (/^\$2[aby]\$/.test(stored)) return this.slots.run(() => bcrypt.compare(password, stored));
    return false;
  }

  /** True for legacy hashes and hashes of another cost: rehash after the next successful login. */
  needsRehash(stored: string): boolean {
    if (!stored.startsWith(SCHEME_PREFIX)) return true;
    return bcrypt.getRounds(stored.slice(SCHEME_PREFIX.length)) !== this.config.bcryptRounds;
  }
}
