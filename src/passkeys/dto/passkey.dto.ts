import { ApiProperty } from '@nestjs/swagger';
import { Passkey } from '../entities/passkey.entity';

/** A passkey as the API returns it: never its public key, credential id or counter. */
export class PasskeyDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2a9e-1d7b-4c3e-8a6f-2b9d4e7c1a05' }) id!: string;
  @ApiProperty({ example: 'MacBook Touch ID', maxLength: 100 }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last sign-in with it' })
  lastUsedAt!: string | null;
  @ApiProperty({ description: 'Synced to other devices (a multi-device passkey)', example: true }) backedUp!: boolean;
  @ApiProperty({
    type: [String],
    description: 'How the browser may reach the authenticator, as it reported',
    example: ['internal', 'hybrid'],
  })
  transports!: string[];
}

export function toPasskeyDto(passkey: Passkey): PasskeyDto {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
    backedUp: passkey.backedUp,
    transports: passkey.transports,
  };
}
