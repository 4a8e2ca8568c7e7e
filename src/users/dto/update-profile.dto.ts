import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/validation/optional.decorator';
import { PersonName } from '../../common/validation/text.decorators';

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Johnny', minLength: 1, maxLength: 100 })
  @Optional()
  @PersonName('firstName')
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe', minLength: 1, maxLength: 100 })
  @Optional()
  @PersonName('lastName')
  lastName?: string;
}
