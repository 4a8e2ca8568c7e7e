import { ApiProperty } from '@nestjs/swagger';
import { User, USER_ROLES, UserRole } from '../entities/user.entity';

/** A user as the API returns it: never the hash, token version or counters. */
export class UserDto {
  @ApiProperty({ format: 'uuid', example: '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77' }) id!: string;
  @ApiProperty({ example: 'John' }) firstName!: string;
  @ApiProperty({ example: 'Doe' }) lastName!: string;
  @ApiProperty({ example: 'john@example.com' }) email!: string;
  @ApiProperty({ example: false }) emailVerified!: boolean;
  @ApiProperty({ enum: USER_ROLES, example: 'user' }) role!: UserRole;
  @ApiProperty({ example: true }) isActive!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty({ description: 'A TOTP second factor is enabled', example: false }) mfaEnabled!: boolean;
  @ApiProperty({ description: 'Passkeys registered for this account', example: 0, minimum: 0 }) passkeyCount!: number;
}

/** An explicit whitelist: a new column never reaches a response by accident. */
export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    role: user.role,
    isActive: user.isActive,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    mfaEnabled: user.mfaEnabled,
    passkeyCount: user.passkeyCount,
  };
}
