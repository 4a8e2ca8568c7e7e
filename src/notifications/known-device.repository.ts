import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { deviceName } from './device-name';
import { KnownDevice } from './entities/known-device.entity';

/** A device unseen on the account for this long is new again. */
export const DEVICE_MEMORY_MS = 90 * 86_400_000;

export interface SignInDevice {
  device: string;
  /** Not seen on the account in the last 90 days, on an account that has a device history. */
  isNew: boolean;
}

/** The only code that writes known_devices. */
@Injectable()
export class KnownDeviceRepository {
  constructor(
    @InjectRepository(KnownDevice) private readonly devices: Repository<KnownDevice>,
    private readonly clock: Clock,
  ) {}

  /** The registering device counts as seen, in the registration's transaction. */
  async remember(userId: string, userAgent: string | undefined, manager: EntityManager): Promise<void> {
    await this.upsert(userId, deviceName(userAgent), manager);
  }

  /**
   * Records a sign-in's device and answers whether it is new. An account with no history at all (made
   * before devices were recorded, or by the seed) learns its first device without calling it new, so an
   * upgrade mails nobody.
   */
  async signIn(userId: string, userAgent: string | undefined, manager: EntityManager): Promise<SignInDevice> {
    const device = deviceName(userAgent);
    const since = new Date(this.clock.now().getTime() - DEVICE_MEMORY_MS);
    const [history] = await manager.withRepository(this.devices).query<{ total: string; seen: boolean }[]>(
      `SELECT count(*) AS total, coalesce(bool_or(device = $2 AND last_seen_at > $3), false) AS seen
       FROM known_devices WHERE user_id = $1`,
      [userId, device, since],
    );
    await this.upsert(userId, device, manager);
    return { device, isNew: Number(history.total) > 0 && !history.seen };
  }

  private async upsert(userId: string, device: string, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    await manager
      .withRepository(this.devices)
      .createQueryBuilder()
      .insert()
      .values({ userId, device, firstSeenAt: now, lastSeenAt: now })
      .orUpdate(['last_seen_at'], ['user_id', 'device'])
      .execute();
  }
}
