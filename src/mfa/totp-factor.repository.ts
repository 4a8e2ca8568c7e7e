import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { TotpFactor } from './entities/totp-factor.entity';
import { matchingTimeStep, newTotpSecret } from './totp-codes';
import { SecondFactorUnavailableException } from './mfa.errors';
import { SecretCipher, SecretUnreadable } from '../common/secrets/secret-cipher';
import { ReencryptionResult, SealedSecretStore, SealedSecretStores } from '../common/secrets/sealed-secret-stores';
import { UsedTotpStepRepository } from './used-totp-step.repository';

export type FactorState = 'pending' | 'enabled';

/** How long a setup's secret waits for its first code; also the span in which enable trusts setup's proof. */
export const PENDING_TOTP_LIFETIME_MS = 10 * 60_000;

/** The derivation the rows' key_version names: HKDF label and additional data exactly as stored since v1. */
export const TOTP_KEY_VERSION = 1;
const TOTP_LABEL = `clickbit/mfa/totp-secret/v${TOTP_KEY_VERSION}`;
const totpAdditionalData = (userId: string): string => `totp:${userId}:v${TOTP_KEY_VERSION}`;

/** The only code that writes totp_factors; checks codes against a factor, each code once. */
@Injectable()
export class TotpFactorRepository implements SealedSecretStore, OnModuleInit {
  readonly name = 'totp_factors';
  private readonly logger = new Logger('TotpFactorRepository');

  constructor(
    @InjectRepository(TotpFactor) private readonly factors: Repository<TotpFactor>,
    private readonly cipher: SecretCipher,
    private readonly usedSteps: UsedTotpStepRepository,
    private readonly clock: Clock,
    private readonly sealedStores: SealedSecretStores,
  ) {}

  onModuleInit(): void {
    this.sealedStores.register(this);
  }

  /**
   * A new secret, pending until a code proves the authenticator holds it; it replaces a pending one.
   * Null when TOTP is already enabled (one upsert, so a concurrent enable cannot be overwritten).
   */
  async startPending(userId: string): Promise<string | null> {
    const secret = newTotpSecret();
    const ciphertext = this.cipher.seal(TOTP_LABEL, secret, totpAdditionalData(userId));
    const keyVersion = TOTP_KEY_VERSION;
    // created_at from the Clock: the pending secret's lifetime and the enable's proof are judged by it.
    const saved: unknown[] = await this.factors.query(
      `INSERT INTO "totp_factors" AS f ("user_id", "secret_ciphertext", "key_version", "created_at")
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ("user_id") DO UPDATE SET "secret_ciphertext" = $2, "key_version" = $3, "created_at" = $4
       WHERE f."enabled_at" IS NULL
       RETURNING 1`,
      [userId, ciphertext, keyVersion, this.clock.now()],
    );
    return saved.length === 1 ? secret : null;
  }

  async find(userId: string, state: FactorState, manager?: EntityManager): Promise<TotpFactor | null> {
    return (manager ? manager.withRepository(this.factors) : this.factors).findOneBy({
      userId,
      enabledAt: state === 'enabled' ? Not(IsNull()) : IsNull(),
    });
  }

  /**
   * True when the code is the factor's, within one step of now, and its step was never used by this
   * user: the step is then spent, on every instance.
   */
  async acceptCode(factor: TotpFactor, code: string): Promise<boolean> {
    const secret = await this.readableSecret(factor);
    const timeStep = matchingTimeStep(secret, code, this.clock.now());
    if (timeStep === null) return false;
    return this.usedSteps.claim(factor.userId, timeStep);
  }

  /**
   * The factor's secret, or a 503 (never a 500, never a wrong-code verdict) with one line saying why.
   * A secret read under a SECRET_KEY_PREVIOUS is sealed again under SECRET_KEY here, where it is read anyway.
   */
  private async readableSecret(factor: TotpFactor): Promise<string> {
    try {
      const opened = this.open(factor);
      if (opened.underPreviousKey) await this.sealAgain(factor, opened.plaintext.toString('utf8'));
      return opened.plaintext.toString('utf8');
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      this.logger.error(
        { user_id: factor.userId, key_version: factor.keyVersion, reason: error.message },
        `The TOTP secret of user ${factor.userId} cannot be read with the current SECRET_KEY (${error.message}): ` +
          'SECRET_KEY changed since it was stored. Fix: add the SECRET_KEY in use when TOTP was set up to ' +
          'SECRET_KEY_PREVIOUS (or set SECRET_KEY back to it); else the user signs in with a recovery code and sets ' +
          "TOTP up again, or an administrator resets the user's second factors (DELETE /admin/users/:id/mfa). " +
          'Until then, TOTP codes of this user answer 503.',
      );
      throw new SecondFactorUnavailableException();
    }
  }

  private open(factor: TotpFactor): ReturnType<SecretCipher['open']> {
    if (factor.keyVersion !== TOTP_KEY_VERSION) throw new SecretUnreadable(`unknown key version ${factor.keyVersion}`);
    return this.cipher.open(TOTP_LABEL, factor.secretCiphertext, totpAdditionalData(factor.userId));
  }

  /** Only if the row still holds what was read: a concurrent setup's new secret is not overwritten. */
  private async sealAgain(factor: TotpFactor, secret: string): Promise<boolean> {
    const ciphertext = this.cipher.seal(TOTP_LABEL, secret, totpAdditionalData(factor.userId));
    const result = await this.factors
      .createQueryBuilder()
      .update()
      .set({ secretCiphertext: ciphertext, keyVersion: TOTP_KEY_VERSION })
      .where('user_id = :userId AND secret_ciphertext = :read', {
        userId: factor.userId,
        read: factor.secretCiphertext,
      })
      .execute();
    factor.secretCiphertext = ciphertext;
    return result.affected === 1;
  }

  /** `npm run db -- reencrypt`: every factor read under a previous key is sealed again under SECRET_KEY. */
  async reencryptAll(): Promise<ReencryptionResult> {
    const result: ReencryptionResult = { rewritten: 0, unreadable: 0 };
    for (const factor of await this.factors.find()) {
      try {
        const opened = this.open(factor);
        if (opened.underPreviousKey && (await this.sealAgain(factor, opened.plaintext.toString('utf8')))) {
          result.rewritten += 1;
        }
      } catch (error) {
        if (!(error instanceof SecretUnreadable)) throw error;
        result.unreadable += 1;
      }
    }
    return result;
  }

  /** The pending factor, unless its setup is older than PENDING_TOTP_LIFETIME_MS (then it waits in vain). */
  async findLivePending(userId: string): Promise<TotpFactor | null> {
    const pending = await this.find(userId, 'pending');
    const liveSince = this.clock.now().getTime() - PENDING_TOTP_LIFETIME_MS;
    return pending && pending.createdAt.getTime() > liveSince ? pending : null;
  }

  /**
   * Pending to enabled, for exactly the secret the code was checked against: false when another
   * request enabled it, or a new setup replaced it, meanwhile (its code proves nothing about the new one).
   */
  async enable(checked: TotpFactor, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .withRepository(this.factors)
      .createQueryBuilder()
      .update()
      .set({ enabledAt: this.clock.now() })
      .where('user_id = :userId AND enabled_at IS NULL AND secret_ciphertext = :ciphertext', {
        userId: checked.userId,
        ciphertext: checked.secretCiphertext,
      })
      .execute();
    return result.affected === 1;
  }

  async delete(userId: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.withRepository(this.factors).delete({ userId });
    return (result.affected ?? 0) > 0;
  }
}
