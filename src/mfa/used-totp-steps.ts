import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { RedisConnection } from '../security/redis/redis-connection';
import { UsedTotpStep } from './entities/used-totp-step.entity';
import { stepAcceptedUntil } from './totp-codes';

/** Kept a step longer than its code can be valid, so instances whose clocks differ a little agree. */
const CLOCK_SKEW_MARGIN_MS = 30_000;

/**
 * Remembers the (user, time step) pairs already accepted, so that a TOTP code works once, on any
 * instance. With REDIS_URL: SET NX PX in Redis. Without it, or while Redis does not answer: a unique
 * insert into used_totp_steps in PostgreSQL, shared by every instance too, so a Redis outage never
 * turns into accepting a replay (never per-instance memory, which another instance cannot see).
 * The one gap: a code used through one store in the ~90 s before Redis went away or came back is
 * unknown to the other; closing it would cost a PostgreSQL write on every sign-in.
 */
@Injectable()
export class UsedTotpSteps {
  constructor(
    @InjectRepository(UsedTotpStep) private readonly steps: Repository<UsedTotpStep>,
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {}

  /** True for the first use of this step by this user; false for every later one. */
  claim(userId: string, timeStep: number): Promise<boolean> {
    const keepUntil = stepAcceptedUntil(timeStep).getTime() + CLOCK_SKEW_MARGIN_MS;
    if (!this.redis.configured) return this.claimInDatabase(userId, timeStep, keepUntil);
    return this.redis.run(
      async (client) => {
        const ttl = Math.max(1, keepUntil - this.clock.now().getTime());
        const answer = await client.set(this.redis.key(`totp-used:${userId}:${timeStep}`), '1', 'PX', ttl, 'NX');
        return answer === 'OK';
      },
      () => this.claimInDatabase(userId, timeStep, keepUntil),
    );
  }

  /** Retention: steps whose codes can no longer be valid anywhere. */
  async purgeExpired(): Promise<number> {
    const result = await this.steps.delete({ expiresAt: LessThan(this.clock.now()) });
    return result.affected ?? 0;
  }

  private async claimInDatabase(userId: string, timeStep: number, keepUntil: number): Promise<boolean> {
    const inserted: unknown[] = await this.steps.query(
      `INSERT INTO "used_totp_steps" ("user_id", "time_step", "expires_at") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [userId, timeStep, new Date(keepUntil)],
    );
    return inserted.length === 1;
  }
}
