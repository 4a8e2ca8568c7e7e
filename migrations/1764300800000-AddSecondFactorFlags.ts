import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether TOTP is on and how many passkeys an account has, kept on the users row: the user object
 * carries both, and GET /user/me reads that row in its one query, with no join.
 */
export class AddSecondFactorFlags1764300800000 implements MigrationInterface {
  name = 'AddSecondFactorFlags1764300800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "mfa_enabled" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "users" ADD "passkey_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_passkey_count_check" CHECK ("passkey_count" >= 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_passkey_count_check"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "passkey_count"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "mfa_enabled"`);
  }
}
