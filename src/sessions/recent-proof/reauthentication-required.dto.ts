import { ApiPropertyOptional } from '@nestjs/swagger';
import { IMPERSONATION_FORBIDDEN } from '../../common/decorators/not-while-impersonating.decorator';
import { ProblemDetailsDto } from '../../common/openapi/problem-details.dto';
import { REAUTHENTICATION_REQUIRED } from './reauthentication-required.exception';

/**
 * The 403 of a route that needs a recent proof of identity. Every such route also refuses an
 * impersonation token, whose 403 this one schema must describe too (a route has one schema per status).
 */
export class ReauthenticationRequiredDto extends ProblemDetailsDto {
  @ApiPropertyOptional({
    enum: [REAUTHENTICATION_REQUIRED, IMPERSONATION_FORBIDDEN],
    description:
      'reauthentication_required: the proof of identity is too old, POST /user/auth/reauthenticate first; ' +
      "impersonation_forbidden: the token is an administrator's impersonation token",
  })
  code?: typeof REAUTHENTICATION_REQUIRED | typeof IMPERSONATION_FORBIDDEN;
}
