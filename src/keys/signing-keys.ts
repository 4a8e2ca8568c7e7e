import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/problem-details/problem.exception';
import { SecretUnreadable } from '../common/secrets/secret-cipher';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { PublicJwk, SigningKey } from './entities/signing-key.entity';
import { KeyHousekeeping } from './key-housekeeping';
import { privateKeyFromDer } from './key-pairs';
import { KeySchedule } from './key-schedule';
import { SigningKeyRepository } from './signing-key.repository';

/** Every instance re-reads the table this often: a switch or a revocation is seen everywhere within it. */
export const REREAD_INTERVAL_MS = 60_000;
/** An unknown kid re-reads the table at most this often: a flood of made-up kids costs one query a second. */
export const UNKNOWN_KID_REREAD_MS = 1_000;

/** The key that signs now: its kid goes in the token header. */
export interface SigningKeyInUse {
  kid: string;
  algorithm: string;
  privateKey: KeyObject;
}

interface LoadedKeys {
  schedule: KeySchedule;
  publicKeys: Map<string, KeyObject>;
  privateKeys: Map<string, KeyObject>;
}

/** A private key no configured SECRET_KEY opens: tokens cannot be signed, which is an outage, not a 500. */
export class SigningKeyUnavailableException extends ProblemException {
  constructor() {
    super(503, 'signing unavailable: the service cannot read its signing key right now; try again later');
  }
}

/**
 * This instance's copy of signing_keys (ALGORITHM ES256/RS256): which key signs now, which keys verify,
 * what the JWKS publishes. Loaded on first use (migrations run after the app starts), re-read every 60 s
 * and on an unknown kid; a re-read that finds the stored states behind the time runs the housekeeping.
 */
@Injectable()
export class SigningKeys implements OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private loaded?: Promise<LoadedKeys>;
  private current?: LoadedKeys;
  private lastUnknownKidReread = 0;
  private timer?: NodeJS.Timeout;
  /** Counts re-reads: a cache of verified tokens re-checks its keys when it changes. */
  private rereads = 0;

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly housekeeping: KeyHousekeeping,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return isAsymmetric(this.config.algorithm);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async signingKey(): Promise<SigningKeyInUse> {
    const keys = await this.keys();
    const key = keys.schedule.signing(this.clock.now());
    const privateKey = key && keys.privateKeys.get(key.kid);
    if (!key || !privateKey) throw new SigningKeyUnavailableException();
    return { kid: key.kid, algorithm: key.algorithm, privateKey };
  }

  /** The public key that verifies a token of this kid and alg now, or undefined (401). */
  async verificationKey(kid: string, alg: string): Promise<KeyObject | undefined> {
    let keys = await this.keys();
    if (!keys.publicKeys.has(kid) && Date.now() - this.lastUnknownKidReread >= UNKNOWN_KID_REREAD_MS) {
      this.lastUnknownKidReread = Date.now();
      keys = await this.reread();
    }
    const key = keys.schedule.keys.find((candidate) => candidate.kid === kid);
    if (!key || key.algorithm !== alg || !keys.schedule.accepts(key, this.clock.now())) return undefined;
    return keys.publicKeys.get(kid);
  }

  get revision(): number {
    return this.rereads;
  }

  /** Whether the key of this kid verifies tokens now, as far as this instance's copy knows (no re-read). */
  accepts(kid: string): boolean {
    const key = this.current?.schedule.keys.find((candidate) => candidate.kid === kid);
    return !!key && !!this.current?.schedule.accepts(key, this.clock.now());
  }

  /** The public JWK of every next, signing and retired key still in use. */
  async publishedKeys(): Promise<PublicJwk[]> {
    const keys = await this.keys();
    return keys.schedule.published(this.clock.now()).map((key) => (key as SigningKey).publicJwk);
  }

  /** Reads the table now (tests and the 60 s timer); runs the housekeeping first when the rows lag the time. */
  async reread(): Promise<LoadedKeys> {
    await this.housekeeping.runHousekeeping();
    const rows = await this.repository.findAll();
    const loaded: LoadedKeys = {
      schedule: this.housekeeping.schedule(rows),
      publicKeys: new Map(
        rows.map((row) => [row.kid, createPublicKey({ key: { ...row.publicJwk } as JsonWebKey, format: 'jwk' })]),
      ),
      privateKeys: new Map(),
    };
    for (const row of rows.filter((candidate) => candidate.state === 'next' || candidate.state === 'signing')) {
      const privateKey = await this.openPrivateKey(row);
      if (privateKey) loaded.privateKeys.set(row.kid, privateKey);
    }
    this.current = loaded;
    this.loaded = Promise.resolve(loaded);
    this.rereads += 1;
    return loaded;
  }

  private keys(): Promise<LoadedKeys> {
    if (!this.enabled) throw new Error(`ALGORITHM ${this.config.algorithm} uses SECRET_KEY, not signing keys`);
    if (this.current) return Promise.resolve(this.current);
    this.loaded ??= this.reread().then(
      (keys) => {
        this.timer ??= setInterval(() => void this.rereadLogged(), REREAD_INTERVAL_MS).unref();
        return keys;
      },
      (error: unknown) => {
        // The next request tries again (the database may have been down, or migrations still running).
        this.loaded = undefined;
        throw error;
      },
    );
    return this.loaded;
  }

  private async rereadLogged(): Promise<void> {
    try {
      await this.reread();
    } catch (error) {
      // An outage keeps the last copy: tokens keep being signed and verified with the keys already held.
      this.logger.warn({ err: error }, 'signing keys re-read failed');
    }
  }

  /** Opened, and sealed again under SECRET_KEY when a SECRET_KEY_PREVIOUS opened it; undefined (one error line) when none does. */
  private async openPrivateKey(row: SigningKey): Promise<KeyObject | undefined> {
    try {
      const opened = this.repository.openPrivateKey(row);
      if (opened.underPreviousKey) await this.repository.sealAgain(row, opened.plaintext);
      return privateKeyFromDer(opened.plaintext);
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      this.logger.error(
        { kid: row.kid, reason: error.message },
        `The private signing key ${row.kid} cannot be read with the current SECRET_KEY (${error.message}): ` +
          'SECRET_KEY changed since it was stored. Fix: add the earlier SECRET_KEY to SECRET_KEY_PREVIOUS; else ' +
          'revoke the key (`npm run db -- rotate-keys --revoke-current`). Until then, sign-ins answer 503.',
      );
      return undefined;
    }
  }
}
