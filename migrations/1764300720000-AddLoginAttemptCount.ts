import { MigrationInterface, QueryRunner } from 'typeorm';

/** Attempts reserved before a password is judged, so that concurrent logins cannot outrun the threshold. */
export class AddLoginAttemptCount1764300720000 implements MigrationInterface {
  name = 'AddLoginAttemptCount1764300720000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Existing rows: their failures are their attempts so far.
    await queryRunner.query(`ALTER TABLE "login_failures" ADD "attempt_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE "login_failures" SET "attempt_count" = "failure_count"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_failures" DROP COLUMN "attempt_count"`);
  }
}
