import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user.dto';

export class AuthResponseDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ description: 'JWT access token (also set as the user_session cookie)' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque refresh token, single use (also set as the user_refresh cookie)' })
  refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the access token expires', example: 1800 })
  expiresIn!: number;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ipAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0' }) userAgent!: string | null;
  @ApiProperty({ description: 'The session of the token making this request' }) current!: boolean;
  @ApiProperty({
    description:
      "An administrator's impersonation session (support acting as you; no address or user agent is shown). " +
      'You may end it like any other.',
  })
  impersonation!: boolean;
}
