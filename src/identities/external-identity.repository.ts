import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ExternalIdentity } from './entities/external-identity.entity';

/** The external_identities table's one writer. */
@Injectable()
export class ExternalIdentityRepository {
  constructor(@InjectRepository(ExternalIdentity) private readonly identities: Repository<ExternalIdentity>) {}

  findByIssuerSubject(issuer: string, subject: string): Promise<ExternalIdentity | null> {
    return this.identities.findOneBy({ issuer, subject });
  }

  listOf(userId: string, manager?: EntityManager): Promise<ExternalIdentity[]> {
    const repository = manager ? manager.withRepository(this.identities) : this.identities;
    return repository.find({ where: { userId }, order: { linkedAt: 'ASC' } });
  }

  async insert(identity: Omit<ExternalIdentity, 'id' | 'user'>, manager: EntityManager): Promise<ExternalIdentity> {
    const repository = manager.withRepository(this.identities);
    return repository.save(repository.create(identity));
  }

  findOwned(userId: string, id: string, manager: EntityManager): Promise<ExternalIdentity | null> {
    return manager.withRepository(this.identities).findOneBy({ id, userId });
  }

  countOf(userId: string, manager: EntityManager): Promise<number> {
    return manager.withRepository(this.identities).countBy({ userId });
  }

  /** False when it was already gone. */
  async remove(userId: string, id: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.withRepository(this.identities).delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }

  async markUsed(id: string, email: string | null, at: Date, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.withRepository(this.identities) : this.identities;
    await repository.update({ id }, { lastUsedAt: at, email });
  }
}
