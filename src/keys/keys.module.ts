import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from '../common/secrets/secret-cipher';
import { SigningKey } from './entities/signing-key.entity';
import { JwksController } from './jwks.controller';
import { KeyHousekeeping } from './key-housekeeping';
import { KeyRotationCommand } from './key-rotation.command';
import { SigningKeyRepository } from './signing-key.repository';
import { SigningKeys } from './signing-keys';

/** The service's signing key pairs: storage, rotation, and the JWKS route other services verify with. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey])],
  controllers: [JwksController],
  providers: [SecretCipher, SigningKeyRepository, KeyHousekeeping, KeyRotationCommand, SigningKeys],
  exports: [SigningKeys, KeyHousekeeping, KeyRotationCommand],
})
export class KeysModule {}
