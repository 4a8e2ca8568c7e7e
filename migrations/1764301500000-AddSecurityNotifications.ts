import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security notifications: secure-account tokens (a purpose of their own, recording the way in the
 * notified event added), notification mails in the outbox (a longer purpose, and their event), and
 * the devices each account was signed in from.
 */
export class AddSecurityNotifications1764301500000 implements MigrationInterface {
  name = 'AddSecurityNotifications1764301500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP CONSTRAINT "one_time_tokens_purpose_check"`);
    await queryRunner.query(
      `ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_purpose_check" CHECK ("purpose" IN ('verify_email', 'reset_password', 'secure_account'))`,
    );
    await queryRunner.query(`ALTER TABLE "one_time_tokens" ADD "event" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" ADD "subject" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ALTER COLUMN "purpose" TYPE character varying(32)`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "event" character varying(32)`);
    await queryRunner.query(`
      CREATE TABLE "known_devices" (
        "user_id" uuid NOT NULL,
        "device" character varying(100) NOT NULL,
        "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_known_devices" PRIMARY KEY ("user_id", "device"),
        CONSTRAINT "FK_known_devices_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "known_devices"`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "event"`);
    await queryRunner.query(`DELETE FROM "mail_outbox" WHERE length("purpose") > 16`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ALTER COLUMN "purpose" TYPE character varying(16)`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP COLUMN "subject"`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP COLUMN "event"`);
    await queryRunner.query(`DELETE FROM "one_time_tokens" WHERE "purpose" = 'secure_account'`);
    await queryRunner.query(`ALTER TABLE "one_time_tokens" DROP CONSTRAINT "one_time_tokens_purpose_check"`);
    await queryRunner.query(
      `ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_purpose_check" CHECK ("purpose" IN ('verify_email', 'reset_password'))`,
    );
  }
}
