import { ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../../common/openapi/problem-details.dto';
import { REAUTHENTICATION_REQUIRED } from './reauthentication-required.exception';

/** The 403 of a route that needs a recent proof of identity. */
export class ReauthenticationRequiredDto extends ProblemDetailsDto {
  @ApiPropertyOptional({
    enum: [REAUTHENTICATION_REQUIRED],
    description: 'Present when the refusal is for an old proof of identity: POST /user/auth/reauthenticate first',
  })
  code?: typeof REAUTHENTICATION_REQUIRED;
}
