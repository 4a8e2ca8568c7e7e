import { MigrationInterface, QueryRunner } from 'typeorm';

/** When the user last proved who they are in each session: the step-up check reads it. */
export class AddSessionAuthenticatedAt1764301100000 implements MigrationInterface {
  name = 'AddSessionAuthenticatedAt1764301100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "authenticated_at" TIMESTAMP WITH TIME ZONE`);
    // Existing sessions: their sign-in was their last proof.
    await queryRunner.query(`UPDATE "sessions" SET "authenticated_at" = "created_at"`);
    await queryRunner.query(`ALTER TABLE "sessions" ALTER COLUMN "authenticated_at" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "authenticated_at"`);
  }
}
