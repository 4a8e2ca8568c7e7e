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

  listOf(userId: string): Promise<ExternalIdentity[]> {
    return this.identities.find({ where: { userId }, order: { linkedAt: 'ASC' } });
  }

  async insert(identity: Omit<ExternalIdentity, 'id' | 'user'>, manager: EntityManager): Promise<ExternalIdentity> {
    const repository = manager.withRepository(this.identities);
    return repository.save(repository.create(identity));
  }

  async markUsed(id: string, email: string | null, at: Date, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.withRepository(this.identities) : this.identities;
    await repository.update({ id }, { lastUsedAt: at, email });
  }
}
