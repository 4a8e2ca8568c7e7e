import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token; when absent, the user_refresh cookie is used' })
  @Optional()
  @IsString({ message: 'refreshToken must be text' })
  @MaxLength(512, { message: 'refreshToken is malformed' })
  refreshToken?: string;
}
