import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { KeyHousekeeping } from './key-housekeeping';
import { SigningKeyRepository } from './signing-key.repository';

export class KeyRotationRefused extends Error {}

/**
 * `npm run db -- rotate-keys [--revoke-current]`. A rotation moves the published next key's start to now
 * (or to when caches are sure to hold it: 2 × JWKS_MAX_AGE_SECONDS after it was published); instances
 * follow within the 60 s between their re-reads. A revocation is for a compromised key: revoked at once
 * (its tokens refused at the next re-read), and the next key signs at once.
 */
@Injectable()
export class KeyRotationCommand {
  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly housekeeping: KeyHousekeeping,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  async runRotateKeys(revokeCurrent: boolean, print: (line: string) => void): Promise<void> {
    if (!isAsymmetric(this.config.algorithm)) {
      throw new KeyRotationRefused(
        `ALGORITHM is ${this.config.algorithm}: tokens are signed with SECRET_KEY and there is no key to rotate ` +
          '(rotate SECRET_KEY with SECRET_KEY_PREVIOUS instead)',
      );
    }
    const now = this.clock.now();
    await this.repository.withLock(async (manager) => {
      await this.housekeeping.apply(manager, now);
      const schedule = this.housekeeping.schedule(await this.repository.findAll(manager));
      const current = schedule.signing(now);
      const next = schedule.next(now);
      if (!current || !next) throw new Error('no signing key and next key after housekeeping');
      const switchAt = revokeCurrent ? now : schedule.earliestSwitch(next, now);
      if (revokeCurrent) await this.repository.update(current.kid, { state: 'revoked', retiredAt: now }, manager);
      await this.repository.update(next.kid, { signsFrom: switchAt }, manager);
      // Promotes the next key if it signs already, and publishes a new next key.
      await this.housekeeping.apply(manager, now);
      print(
        revokeCurrent
          ? `key ${current.kid} revoked: its tokens are refused within 60 s; key ${next.kid} signs now`
          : `key ${next.kid} signs from ${switchAt.toISOString()}; key ${current.kid} retires then, published until its last token expires`,
      );
    });
  }
}
