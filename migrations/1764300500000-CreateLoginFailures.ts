import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLoginFailures1764300500000 implements MigrationInterface {
  name = 'CreateLoginFailures1764300500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "login_failures" (
        "email_hash" character(64) NOT NULL,
        "failure_count" integer NOT NULL,
        "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "locked_until" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_login_failures" PRIMARY KEY ("email_hash")
      )`);
    await queryRunner.query(
      `CREATE INDEX "login_failures_window_started_at_idx" ON "login_failures" ("window_started_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "login_failures"`);
  }
}
