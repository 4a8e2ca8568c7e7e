import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token; when absent, the user_refresh cookie is used' })
  @IsOptional()
  @IsString({ message: 'refreshToken must be text' })
  @MaxLength(512, { message: 'refreshToken is malformed' })
  refreshToken?: string;
}
