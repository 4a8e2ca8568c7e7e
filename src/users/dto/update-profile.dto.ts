import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PersonName } from '../../common/validation/text.decorators';

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Johnny', minLength: 1, maxLength: 100 })
  @IsOptional()
  @PersonName('firstName')
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe', minLength: 1, maxLength: 100 })
  @IsOptional()
  @PersonName('lastName')
  lastName?: string;
}
