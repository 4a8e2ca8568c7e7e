import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { ReencryptionResult, SealedSecretStore, SealedSecretStores } from '../common/secrets/sealed-secret-stores';
import { OpenedSecret, SecretCipher, SecretUnreadable } from '../common/secrets/secret-cipher';
import { SigningKey, SigningKeyState } from './entities/signing-key.entity';
import { NewKeyPair } from './key-pairs';

/** The HKDF label of private signing keys: the derived key opens these and nothing else. */
const PRIVATE_KEY_LABEL = 'clickbit/keys/signing-key/v1';

/** pg_advisory_xact_lock's key: one housekeeping at a time across every instance on the database. */
const HOUSEKEEPING_LOCK = 0x636b6b73; // "ckks"

/** The only code that writes signing_keys; private keys go in sealed and come out opened. */
@Injectable()
export class SigningKeyRepository implements SealedSecretStore, OnModuleInit {
  readonly name = 'signing_keys';

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    private readonly cipher: SecretCipher,
    private readonly sealedStores: SealedSecretStores,
  ) {}

  onModuleInit(): void {
    this.sealedStores.register(this);
  }

  findAll(manager?: EntityManager): Promise<SigningKey[]> {
    return (manager ? manager.withRepository(this.keys) : this.keys).find({ order: { signsFrom: 'ASC' } });
  }

  /**
   * Runs the work in a transaction holding the housekeeping lock: two instances starting together on an
   * empty table make one first key, and two rotations never interleave.
   */
  withLock<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.keys.manager.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [HOUSEKEEPING_LOCK]);
      return work(manager);
    });
  }

  async insert(
    pair: NewKeyPair,
    state: SigningKeyState,
    signsFrom: Date,
    now: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.withRepository(this.keys).insert({
      kid: pair.kid,
      algorithm: pair.algorithm,
      publicJwk: pair.publicJwk,
      privateKeyCiphertext: this.cipher.seal(PRIVATE_KEY_LABEL, pair.privateKeyDer, pair.kid),
      state,
      signsFrom,
      retiredAt: null,
      createdAt: now,
    });
  }

  async update(
    kid: string,
    change: Partial<Pick<SigningKey, 'state' | 'signsFrom' | 'retiredAt'>>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.withRepository(this.keys).update({ kid }, change);
  }

  async remove(kids: string[], manager: EntityManager): Promise<void> {
    if (kids.length) await manager.withRepository(this.keys).delete({ kid: In(kids) });
  }

  /** The PKCS#8 DER of a key's private half; SecretUnreadable when no configured SECRET_KEY opens it. */
  openPrivateKey(key: SigningKey): OpenedSecret {
    return this.cipher.open(PRIVATE_KEY_LABEL, key.privateKeyCiphertext, key.kid);
  }

  /** Sealed again under SECRET_KEY, unless another instance already did (the row no longer holds what was read). */
  async sealAgain(key: SigningKey, privateKeyDer: Buffer): Promise<boolean> {
    const ciphertext = this.cipher.seal(PRIVATE_KEY_LABEL, privateKeyDer, key.kid);
    const result = await this.keys
      .createQueryBuilder()
      .update()
      .set({ privateKeyCiphertext: ciphertext })
      .where('kid = :kid AND private_key_ciphertext = :read', { kid: key.kid, read: key.privateKeyCiphertext })
      .execute();
    return result.affected === 1;
  }

  /** `npm run db -- reencrypt`: every private key read under a previous SECRET_KEY is sealed again. */
  async reencryptAll(): Promise<ReencryptionResult> {
    const result: ReencryptionResult = { rewritten: 0, unreadable: 0 };
    for (const key of await this.findAll()) {
      try {
        const opened = this.openPrivateKey(key);
        if (opened.underPreviousKey && (await this.sealAgain(key, opened.plaintext))) result.rewritten += 1;
      } catch (error) {
        if (!(error instanceof SecretUnreadable)) throw error;
        result.unreadable += 1;
      }
    }
    return result;
  }
}
