import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts at external OpenID providers linked to users (keyed by issuer and subject, never by email),
 * and the single-use state of a sign-in, link or reauthentication flow in progress.
 */
export class CreateExternalIdentities1764301800000 implements MigrationInterface {
  name = 'CreateExternalIdentities1764301800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "external_identities" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "provider" character varying(40) NOT NULL,
        "issuer" character varying(500) NOT NULL,
        "subject" character varying(255) NOT NULL,
        "email" character varying(254),
        "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_external_identities_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_external_identities_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "external_identities_issuer_subject_key" ON "external_identities" ("issuer", "subject")`,
    );
    await queryRunner.query(`CREATE INDEX "external_identities_user_id_idx" ON "external_identities" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "oidc_flows" (
        "state" character varying(64) NOT NULL,
        "browser_binding" character varying(64) NOT NULL,
        "provider" character varying(40) NOT NULL,
        "nonce" character varying(64) NOT NULL,
        "code_verifier" character varying(128) NOT NULL,
        "return_to" character varying(2048) NOT NULL,
        "purpose" character varying(16) NOT NULL,
        "user_id" uuid,
        "session_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_oidc_flows_state" PRIMARY KEY ("state"),
        CONSTRAINT "oidc_flows_purpose_check" CHECK ("purpose" IN ('sign-in', 'link', 'reauth')),
        CONSTRAINT "FK_oidc_flows_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    // The purge of expired flows.
    await queryRunner.query(`CREATE INDEX "oidc_flows_expires_at_idx" ON "oidc_flows" ("expires_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "oidc_flows"`);
    await queryRunner.query(`DROP TABLE "external_identities"`);
  }
}
