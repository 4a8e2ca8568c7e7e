import { SigningKeyState } from './entities/signing-key.entity';

/** What the schedule needs of a stored key. */
export interface ScheduledKey {
  kid: string;
  algorithm: string;
  state: SigningKeyState;
  signsFrom: Date;
  retiredAt: Date | null;
  createdAt: Date;
}

export interface ScheduleSettings {
  algorithm: string;
  /** ACCESS_TOKEN_EXPIRE_MINUTES: how long a key's last token lives after it stopped signing. */
  tokenLifetimeMs: number;
  /** KEY_ROTATION_DAYS. */
  rotationMs: number;
  /** 2 × JWKS_MAX_AGE_SECONDS: how long a next key is published before it may sign. */
  publishLeadMs: number;
}

/** Clocks of instances drift a little (tokens/ allows 60 s of iat skew too): a retired key stays this much longer. */
const SKEW_MS = 60_000;

const isLive = (key: ScheduledKey): boolean => key.state === 'next' || key.state === 'signing';

/**
 * Which key signs and which keys verify at an instant, from the rows alone. The switch is by time: a next
 * key signs from its `signsFrom` on every instance at once (all have held it since it was published), so
 * instances agree on the signing key without waiting for a write; the stored states catch up at the
 * next housekeeping.
 */
export class KeySchedule {
  constructor(
    readonly keys: readonly ScheduledKey[],
    readonly settings: ScheduleSettings,
  ) {}

  private get ours(): ScheduledKey[] {
    return this.keys.filter((key) => key.algorithm === this.settings.algorithm);
  }

  /** The live key with the latest signsFrom not after now. */
  signing(now: Date): ScheduledKey | undefined {
    return this.ours
      .filter((key) => isLive(key) && key.signsFrom <= now)
      .reduce<ScheduledKey | undefined>(
        (latest, key) => (!latest || key.signsFrom > latest.signsFrom ? key : latest),
        undefined,
      );
  }

  /** The live key due to sign after the current one, if published. */
  next(now: Date): ScheduledKey | undefined {
    return this.ours
      .filter((key) => isLive(key) && key.signsFrom > now)
      .reduce<ScheduledKey | undefined>(
        (first, key) => (!first || key.signsFrom < first.signsFrom ? key : first),
        undefined,
      );
  }

  /** When the key stopped signing: its retirement, or the moment a later live key took over; else undefined. */
  endOfSigning(key: ScheduledKey, now: Date): Date | undefined {
    if (!isLive(key)) return key.retiredAt ?? key.signsFrom;
    const successors = this.ours.filter(
      (other) => isLive(other) && other.signsFrom > key.signsFrom && other.signsFrom <= now,
    );
    return successors.length ? new Date(Math.min(...successors.map((other) => other.signsFrom.getTime()))) : undefined;
  }

  /** Until when the key's tokens may still be alive (and so the key published); undefined while it may sign. */
  publishedUntil(key: ScheduledKey, now: Date): Date | undefined {
    const end = this.endOfSigning(key, now);
    return end && new Date(end.getTime() + this.settings.tokenLifetimeMs + SKEW_MS);
  }

  /** Verifies tokens now: of ALGORITHM, not revoked, and not past its last token's expiry. */
  accepts(key: ScheduledKey, now: Date): boolean {
    if (key.state === 'revoked' || key.algorithm !== this.settings.algorithm) return false;
    const until = this.publishedUntil(key, now);
    return until === undefined || now < until;
  }

  published(now: Date): ScheduledKey[] {
    return this.ours.filter((key) => this.accepts(key, now));
  }

  /** When a new next key should start signing: a rotation after the current one, and never before it is cached. */
  nextSignsFrom(now: Date): Date {
    const current = this.signing(now);
    const byRotation = current ? current.signsFrom.getTime() + this.settings.rotationMs : now.getTime();
    return new Date(Math.max(byRotation, now.getTime() + this.settings.publishLeadMs));
  }

  /** The earliest a next key published at createdAt may sign (rotate-keys): now, once caches hold it. */
  earliestSwitch(key: ScheduledKey, now: Date): Date {
    return new Date(Math.max(now.getTime(), key.createdAt.getTime() + this.settings.publishLeadMs));
  }

  /** The writes that bring the stored rows in line with the time (none when they already are). */
  housekeeping(now: Date): Housekeeping {
    const current = this.signing(now);
    const work: Housekeeping = { createSigning: !current, promote: [], retire: [], remove: [], createNext: false };
    for (const key of this.keys) {
      if (key.algorithm !== this.settings.algorithm && isLive(key)) work.retire.push({ kid: key.kid, at: now });
      else if (key.kid === current?.kid && key.state === 'next') work.promote.push(key.kid);
      else if (isLive(key) && key !== current && key.signsFrom <= now) {
        work.retire.push({ kid: key.kid, at: this.endOfSigning(key, now) ?? now });
      } else if (!isLive(key)) {
        const ended = (key.retiredAt ?? key.signsFrom).getTime();
        if (ended + this.settings.tokenLifetimeMs + SKEW_MS <= now.getTime()) work.remove.push(key.kid);
      }
    }
    work.createNext = !this.next(now);
    return work;
  }
}

/** What housekeeping writes: the first key, promotions, retirements, removals past use, and a next key. */
export interface Housekeeping {
  createSigning: boolean;
  promote: string[];
  retire: { kid: string; at: Date }[];
  remove: string[];
  createNext: boolean;
}

export function isNothingToDo(work: Housekeeping): boolean {
  return !work.createSigning && !work.createNext && !work.promote.length && !work.retire.length && !work.remove.length;
}
