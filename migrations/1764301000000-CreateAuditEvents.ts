import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail. Ascending (…, occurred_at, id) indexes serve the newest-first keyset pages as
 * backward index scans (PostgreSQL reads a btree either way), so DESC columns are not needed.
 */
export class CreateAuditEvents1764301000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764301000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "action" character varying(64) NOT NULL,
        "outcome" character varying(16) NOT NULL,
        "actor_id" uuid,
        "target_user_id" uuid,
        "ip_address" character varying(45),
        "user_agent" character varying(512),
        "request_id" character varying(128),
        "details" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "audit_events_outcome_check" CHECK ("outcome" IN ('success', 'failure')),
        CONSTRAINT "PK_audit_events_id" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" ("occurred_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_target_user_idx" ON "audit_events" ("target_user_id", "occurred_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_actor_idx" ON "audit_events" ("actor_id", "occurred_at", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "audit_events_action_idx" ON "audit_events" ("action", "occurred_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
