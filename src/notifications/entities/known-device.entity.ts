import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A device an account was registered or signed in from: the browser and operating-system family read
 * from the user agent ("Chrome on Windows"), never the user agent itself. A sign-in from a device not
 * seen for 90 days mails the owner.
 */
@Entity('known_devices')
export class KnownDevice {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_known_devices' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100, primaryKeyConstraintName: 'PK_known_devices' })
  device!: string;

  // The owner is named, not imported, as for the other tables that hang off users.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_known_devices_user_id' })
  user?: unknown;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;
}
