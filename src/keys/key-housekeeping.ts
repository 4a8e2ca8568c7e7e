import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { SigningKey } from './entities/signing-key.entity';
import { newKeyPair } from './key-pairs';
import { Housekeeping, isNothingToDo, KeySchedule, ScheduleSettings } from './key-schedule';
import { SigningKeyRepository } from './signing-key.repository';

export function scheduleSettings(config: AuthConfig): ScheduleSettings {
  return {
    algorithm: config.algorithm,
    tokenLifetimeMs: config.accessTokenExpireMinutes * 60_000,
    rotationMs: config.keyRotationDays * 86_400_000,
    publishLeadMs: 2 * config.jwksMaxAgeSeconds * 1000,
  };
}

/** What one housekeeping changed, for the retention log line. */
export interface KeyChanges {
  created: number;
  promoted: number;
  retired: number;
  removed: number;
}

const NO_CHANGES: KeyChanges = { created: 0, promoted: 0, retired: 0, removed: 0 };

/**
 * Brings signing_keys in line with the time, under the housekeeping lock: the first key (signing at once),
 * promotions and retirements the schedule already made by time, removal of keys past their last token,
 * and a next key whenever none is published. Idempotent: every instance may run it.
 */
@Injectable()
export class KeyHousekeeping {
  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  schedule(keys: readonly SigningKey[]): KeySchedule {
    return new KeySchedule(keys, scheduleSettings(this.config));
  }

  async runHousekeeping(): Promise<KeyChanges> {
    if (!isAsymmetric(this.config.algorithm)) return NO_CHANGES;
    const now = this.clock.now();
    // Most runs find nothing to do: look without the lock first.
    if (isNothingToDo(this.schedule(await this.repository.findAll()).housekeeping(now))) return NO_CHANGES;
    return this.repository.withLock((manager) => this.apply(manager, now));
  }

  /** Inside the caller's locked transaction (rotate-keys changes the schedule first). */
  async apply(manager: EntityManager, now: Date): Promise<KeyChanges> {
    const algorithm = this.config.algorithm;
    if (!isAsymmetric(algorithm)) return NO_CHANGES;
    const work: Housekeeping = this.schedule(await this.repository.findAll(manager)).housekeeping(now);
    const changes = { ...NO_CHANGES };
    if (work.createSigning) {
      await this.repository.insert(newKeyPair(algorithm), 'signing', now, now, manager);
      changes.created += 1;
    }
    for (const kid of work.promote) await this.repository.update(kid, { state: 'signing' }, manager);
    for (const { kid, at } of work.retire)
      await this.repository.update(kid, { state: 'retired', retiredAt: at }, manager);
    await this.repository.remove(work.remove, manager);
    changes.promoted = work.promote.length;
    changes.retired = work.retire.length;
    changes.removed = work.remove.length;
    const after = this.schedule(await this.repository.findAll(manager));
    if (!after.next(now)) {
      await this.repository.insert(newKeyPair(algorithm), 'next', after.nextSignsFrom(now), now, manager);
      changes.created += 1;
    }
    return changes;
  }
}
