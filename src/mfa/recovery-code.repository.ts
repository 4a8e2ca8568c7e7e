import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { RecoveryCode } from './entities/recovery-code.entity';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-code-format';

/** The only code that writes recovery_codes. */
@Injectable()
export class RecoveryCodeRepository {
  constructor(
    @InjectRepository(RecoveryCode) private readonly codes: Repository<RecoveryCode>,
    private readonly clock: Clock,
  ) {}

  /** A new set, returned in clear this once; the old set is deleted in the same transaction. */
  async replace(userId: string, manager: EntityManager): Promise<string[]> {
    const repository = manager.withRepository(this.codes);
    await repository.delete({ userId });
    const codes = newRecoveryCodes();
    await repository.insert(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), usedAt: null })));
    return codes;
  }

  /** One conditional update: the code works once, even for two requests at the same moment. */
  async consume(userId: string, code: string, manager: EntityManager): Promise<boolean> {
    if (!looksLikeRecoveryCode(code)) return false;
    const result = await manager
      .withRepository(this.codes)
      .update({ userId, codeHash: hashRecoveryCode(code), usedAt: IsNull() }, { usedAt: this.clock.now() });
    return result.affected === 1;
  }

  async deleteAll(userId: string, manager: EntityManager): Promise<void> {
    await manager.withRepository(this.codes).delete({ userId });
  }
}
