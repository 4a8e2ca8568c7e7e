import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764300000000 implements MigrationInterface {
  name = 'CreateUsers1764300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" character varying(320) NOT NULL,
        "first_name" character varying(100) NOT NULL,
        "last_name" character varying(100) NOT NULL,
        "password_hash" character varying(255) NOT NULL,
        "role" character varying(16) NOT NULL DEFAULT 'user',
        "is_active" boolean NOT NULL DEFAULT true,
        "email_verified_at" TIMESTAMP WITH TIME ZONE,
        "token_version" integer NOT NULL DEFAULT 0,
        "last_login_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "users_role_check" CHECK ("role" IN ('user', 'admin')),
        CONSTRAINT "PK_users_id" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (lower("email"))`);
    await queryRunner.query(`CREATE INDEX "users_created_at_idx" ON "users" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
