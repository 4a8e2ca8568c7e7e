import { MigrationInterface, QueryRunner } from 'typeorm';

/** Passkeys (WebAuthn credentials) and the single-use challenges of their ceremonies. */
export class CreatePasskeys1764300950000 implements MigrationInterface {
  name = 'CreatePasskeys1764300950000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "passkeys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "credential_id" character varying(1400) NOT NULL,
        "public_key" bytea NOT NULL,
        "sign_count" bigint NOT NULL DEFAULT 0,
        "transports" character varying(16) array NOT NULL DEFAULT '{}',
        "backed_up" boolean NOT NULL DEFAULT false,
        "device_type" character varying(16) NOT NULL,
        "name" character varying(100) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_passkeys_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_passkeys_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "passkeys_credential_id_key" ON "passkeys" ("credential_id")`);
    await queryRunner.query(`CREATE INDEX "passkeys_user_id_idx" ON "passkeys" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "webauthn_challenges" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "challenge" character varying(64) NOT NULL,
        "purpose" character varying(16) NOT NULL,
        "user_id" uuid,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_webauthn_challenges_id" PRIMARY KEY ("id"),
        CONSTRAINT "webauthn_challenges_purpose_check" CHECK ("purpose" IN ('registration', 'authentication')),
        CONSTRAINT "FK_webauthn_challenges_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "webauthn_challenges_challenge_key" ON "webauthn_challenges" ("challenge")`,
    );
    // The purge of expired challenges.
    await queryRunner.query(
      `CREATE INDEX "webauthn_challenges_expires_at_idx" ON "webauthn_challenges" ("expires_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webauthn_challenges"`);
    await queryRunner.query(`DROP TABLE "passkeys"`);
  }
}
