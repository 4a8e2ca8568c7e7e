import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pending mfaToken remembers the user's token version, so that every event ending all of the user's
 * sessions kills it too. Tokens pending at the upgrade (five minutes at most) get a version no user has:
 * their sign-ins start again with the password.
 */
export class AddMfaLoginTokenVersion1764301210000 implements MigrationInterface {
  name = 'AddMfaLoginTokenVersion1764301210000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mfa_login_tokens" ADD "token_version" integer NOT NULL DEFAULT -1`);
    await queryRunner.query(`ALTER TABLE "mfa_login_tokens" ALTER COLUMN "token_version" DROP DEFAULT`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mfa_login_tokens" DROP COLUMN "token_version"`);
  }
}
