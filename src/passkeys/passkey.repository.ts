import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Passkey } from './entities/passkey.entity';

/** What registration stores of a verified credential. */
export type NewPasskey = Pick<
  Passkey,
  'userId' | 'credentialId' | 'publicKey' | 'signCount' | 'transports' | 'backedUp' | 'deviceType' | 'name'
>;

/** The passkeys table's queries, and its only writer (registration, sign-in, renaming and removals). */
@Injectable()
export class PasskeyRepository {
  constructor(@InjectRepository(Passkey) private readonly passkeys: Repository<Passkey>) {}

  private in(manager?: EntityManager): Repository<Passkey> {
    return manager ? manager.withRepository(this.passkeys) : this.passkeys;
  }

  /** A user's passkeys, oldest first. */
  listOwned(userId: string): Promise<Passkey[]> {
    return this.passkeys.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Only what WebAuthn options name of a user's passkeys. */
  credentialsOf(userId: string): Promise<Pick<Passkey, 'credentialId' | 'transports'>[]> {
    return this.passkeys.find({ where: { userId }, select: { credentialId: true, transports: true } });
  }

  findByCredentialId(credentialId: string): Promise<Passkey | null> {
    return this.passkeys.findOneBy({ credentialId });
  }

  findOwned(id: string, userId: string, manager?: EntityManager): Promise<Passkey | null> {
    return this.in(manager).findOneBy({ id, userId });
  }

  /** The renamed passkey, or null when the user has none with this id. */
  async rename(id: string, userId: string, name: string): Promise<Passkey | null> {
    const result = await this.passkeys.update({ id, userId }, { name });
    return result.affected ? this.passkeys.findOneByOrFail({ id, userId }) : null;
  }

  add(passkey: NewPasskey, manager: EntityManager): Promise<Passkey> {
    return this.in(manager).save(this.passkeys.create({ ...passkey, lastUsedAt: null }));
  }

  /**
   * Moves the signature counter forward in one conditional UPDATE, so two sign-ins with one assertion
   * cannot both pass. Authenticators that keep no counter send 0 every time; any other value must grow.
   * Answers whether it moved.
   */
  async advanceCounter(id: string, counter: number, usedAt: Date): Promise<boolean> {
    const advanced = await this.passkeys
      .createQueryBuilder()
      .update()
      .set({ signCount: counter, lastUsedAt: usedAt })
      .where('id = :id', { id })
      .andWhere('(sign_count < :counter OR (sign_count = 0 AND :counter = 0))', { counter })
      .execute();
    return Boolean(advanced.affected);
  }

  /** Answers whether the user had it. */
  async deleteOwned(id: string, userId: string, manager: EntityManager): Promise<boolean> {
    return Boolean((await this.in(manager).delete({ id, userId })).affected);
  }

  /** Answers how many were deleted. */
  async deleteAllOf(userId: string, manager: EntityManager): Promise<number> {
    return (await this.in(manager).delete({ userId })).affected ?? 0;
  }
}
