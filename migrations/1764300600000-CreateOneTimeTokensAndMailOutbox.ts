import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOneTimeTokensAndMailOutbox1764300600000 implements MigrationInterface {
  name = 'CreateOneTimeTokensAndMailOutbox1764300600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "one_time_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "purpose" character varying(16) NOT NULL,
        "token_hash" character(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_one_time_tokens_id" PRIMARY KEY ("id"),
        CONSTRAINT "one_time_tokens_purpose_check" CHECK ("purpose" IN ('verify_email', 'reset_password')),
        CONSTRAINT "FK_one_time_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "one_time_tokens_token_hash_key" ON "one_time_tokens" ("token_hash")`);
    await queryRunner.query(
      `CREATE INDEX "one_time_tokens_user_id_purpose_idx" ON "one_time_tokens" ("user_id", "purpose")`,
    );
    await queryRunner.query(`
      CREATE TABLE "mail_outbox" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "purpose" character varying(16) NOT NULL,
        "recipient" character varying(320) NOT NULL,
        "subject" character varying(300) NOT NULL,
        "text_body" text,
        "html_body" text,
        "link" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" character varying(500),
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "locked_until" TIMESTAMP WITH TIME ZONE,
        "sent_at" TIMESTAMP WITH TIME ZONE,
        "failed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_mail_outbox_id" PRIMARY KEY ("id")
      )`);
    // The dispatcher's scan: only rows still to send, in due order.
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_pending_idx" ON "mail_outbox" ("next_attempt_at") WHERE "sent_at" IS NULL AND "failed_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP TABLE "one_time_tokens"`);
  }
}
