import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UsersService } from '../users/users.service';
import { PasskeyRepository } from './passkey.repository';

/**
 * Every passkey of a user at once, in the caller's transaction: an administrator's reset for a lost
 * device, and the seed's promotion of an account squatting on the admin address. Needs nothing but
 * the tables, so the seed command can run it without the web stack.
 */
@Injectable()
export class PasskeyRemoval {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly users: UsersService,
  ) {}

  /** passkeyCount returns to 0 with the rows; answers how many were removed (the caller logs it). */
  async removeAllForUser(userId: string, manager: EntityManager): Promise<number> {
    const removed = await this.passkeys.deleteAllOf(userId, manager);
    // The count moves with the rows in every transaction that changes them, so this lands on 0.
    if (removed > 0) await this.users.changePasskeyCount(userId, -removed, manager);
    return removed;
  }
}
