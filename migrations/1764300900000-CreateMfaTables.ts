import { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP factors (secret encrypted), recovery codes and MFA sign-in tokens (hashed), and used TOTP steps. */
export class CreateMfaTables1764300900000 implements MigrationInterface {
  name = 'CreateMfaTables1764300900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "totp_factors" (
        "user_id" uuid NOT NULL,
        "secret_ciphertext" bytea NOT NULL,
        "key_version" smallint NOT NULL,
        "enabled_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_totp_factors_user_id" PRIMARY KEY ("user_id"),
        CONSTRAINT "FK_totp_factors_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "recovery_codes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "code_hash" character(64) NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_recovery_codes_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_recovery_codes_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "recovery_codes_user_id_code_hash_key" ON "recovery_codes" ("user_id", "code_hash")`,
    );
    await queryRunner.query(`
      CREATE TABLE "mfa_login_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "failed_attempts" smallint NOT NULL DEFAULT 0,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_mfa_login_tokens_id" PRIMARY KEY ("id"),
        CONSTRAINT "mfa_login_tokens_failed_attempts_check" CHECK ("failed_attempts" >= 0),
        CONSTRAINT "FK_mfa_login_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "mfa_login_tokens_token_hash_key" ON "mfa_login_tokens" ("token_hash")`,
    );
    await queryRunner.query(`CREATE INDEX "mfa_login_tokens_user_id_idx" ON "mfa_login_tokens" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "mfa_login_tokens_expires_at_idx" ON "mfa_login_tokens" ("expires_at")`);
    await queryRunner.query(`
      CREATE TABLE "used_totp_steps" (
        "user_id" uuid NOT NULL,
        "time_step" bigint NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_used_totp_steps" PRIMARY KEY ("user_id", "time_step"),
        CONSTRAINT "FK_used_totp_steps_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "used_totp_steps_expires_at_idx" ON "used_totp_steps" ("expires_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "used_totp_steps"`);
    await queryRunner.query(`DROP TABLE "mfa_login_tokens"`);
    await queryRunner.query(`DROP TABLE "recovery_codes"`);
    await queryRunner.query(`DROP TABLE "totp_factors"`);
  }
}
