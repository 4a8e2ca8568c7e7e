import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the newest attempt of a counter was reserved: a reservation whose request died with the
 * database (its release could not be written) stops holding the budget once it is older than any
 * request can live, so an outage cannot leave an address refused until its window ends.
 */
export class AddLoginFailureReservedAt1764301220000 implements MigrationInterface {
  name = 'AddLoginFailureReservedAt1764301220000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_failures" ADD "reserved_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_failures" DROP COLUMN "reserved_at"`);
  }
}
