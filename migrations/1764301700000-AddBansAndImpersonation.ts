import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administrators' support tools: a ban on the account (a reason, and an end or none: a ban is in force
 * while it has a reason and its end, if any, is ahead), and impersonation sessions (the administrator
 * who acts; their deletion ends the session with them).
 */
export class AddBansAndImpersonation1764301700000 implements MigrationInterface {
  name = 'AddBansAndImpersonation1764301700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "banned_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "ban_reason" character varying(500)`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_ban_check" CHECK ("banned_until" IS NULL OR "ban_reason" IS NOT NULL)`,
    );
    await queryRunner.query(`ALTER TABLE "sessions" ADD "impersonator_id" uuid`);
    await queryRunner.query(`CREATE INDEX "sessions_impersonator_id_idx" ON "sessions" ("impersonator_id")`);
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_sessions_impersonator_id" FOREIGN KEY ("impersonator_id") REFERENCES "users"("id") ON DELETE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_sessions_impersonator_id"`);
    await queryRunner.query(`DROP INDEX "sessions_impersonator_id_idx"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "impersonator_id"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_ban_check"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "ban_reason"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "banned_until"`);
  }
}
