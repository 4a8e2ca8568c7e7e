import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two lockout counters per address: wrong passwords and wrong second-factor codes, so that a password
 * reset can clear the first without clearing the second. Existing rows counted passwords and codes
 * together; they stay on the password counter.
 */
export class SplitLoginFailureCounters1764301200000 implements MigrationInterface {
  name = 'SplitLoginFailureCounters1764301200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD "counter" character varying(8) NOT NULL DEFAULT 'password'`,
    );
    await queryRunner.query(`ALTER TABLE "login_failures" ALTER COLUMN "counter" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "login_failures" DROP CONSTRAINT "PK_login_failures"`);
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD CONSTRAINT "PK_login_failures" PRIMARY KEY ("email_hash", "counter")`,
    );
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD CONSTRAINT "login_failures_counter_check" CHECK ("counter" IN ('password', 'code'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_failures" DROP CONSTRAINT "login_failures_counter_check"`);
    await queryRunner.query(`DELETE FROM "login_failures" WHERE "counter" = 'code'`);
    await queryRunner.query(`ALTER TABLE "login_failures" DROP CONSTRAINT "PK_login_failures"`);
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD CONSTRAINT "PK_login_failures" PRIMARY KEY ("email_hash")`,
    );
    await queryRunner.query(`ALTER TABLE "login_failures" DROP COLUMN "counter"`);
  }
}
