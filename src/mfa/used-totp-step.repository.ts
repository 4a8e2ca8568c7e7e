import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { UsedTotpStep } from './entities/used-totp-step.entity';
import { stepAcceptedUntil } from './totp-codes';

/** Kept a step longer than its code can be valid, so instances whose clocks differ a little agree. */
const CLOCK_SKEW_MARGIN_MS = 30_000;

/**
 * Remembers the (user, time step) pairs already accepted, so that a TOTP code works once, on any
 * instance: a unique insert into used_totp_steps in PostgreSQL, the one store every instance always
 * shares. Never Redis: an instance that cannot reach it would fall back to what the others cannot
 * see, and a code used on one instance was accepted again on the other.
 */
@Injectable()
export class UsedTotpStepRepository {
  constructor(
    @InjectRepository(UsedTotpStep) private readonly steps: Repository<UsedTotpStep>,
    private readonly clock: Clock,
  ) {}

  /** True for the first use of this step by this user; false for every later one. */
  async claim(userId: string, timeStep: number): Promise<boolean> {
    const keepUntil = stepAcceptedUntil(timeStep).getTime() + CLOCK_SKEW_MARGIN_MS;
    const inserted: unknown[] = await this.steps.query(
      `INSERT INTO "used_totp_steps" ("user_id", "time_step", "expires_at") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [userId, timeStep, new Date(keepUntil)],
    );
    return inserted.length === 1;
  }

  /** Retention: steps whose codes can no longer be valid anywhere. */
  async purgeExpired(): Promise<number> {
    const result = await this.steps.delete({ expiresAt: LessThan(this.clock.now()) });
    return result.affected ?? 0;
  }
}
