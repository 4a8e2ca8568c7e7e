import { MigrationInterface, QueryRunner } from 'typeorm';

/** The service's own signing key pairs (ALGORITHM ES256/RS256), the private halves sealed under SECRET_KEY. */
export class CreateSigningKeys1764301600000 implements MigrationInterface {
  name = 'CreateSigningKeys1764301600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "signing_keys" (
        "kid" character varying(64) NOT NULL,
        "algorithm" character varying(8) NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_key_ciphertext" bytea NOT NULL,
        "state" character varying(8) NOT NULL,
        "signs_from" TIMESTAMP WITH TIME ZONE NOT NULL,
        "retired_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_signing_keys_kid" PRIMARY KEY ("kid"),
        CONSTRAINT "signing_keys_state_check" CHECK ("state" IN ('next', 'signing', 'retired', 'revoked')),
        CONSTRAINT "signing_keys_algorithm_check" CHECK ("algorithm" IN ('ES256', 'RS256'))
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "signing_keys"`);
  }
}
