import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtraModels, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../openapi/problem-details.dto';
import { ProblemException } from '../problem-details/problem.exception';

/** The `code` extension member of a route refused to an impersonation token. */
export const IMPERSONATION_FORBIDDEN = 'impersonation_forbidden';

/** 403: an administrator acting as a user may look, never change how the account is secured. */
export class ImpersonationForbidden extends ProblemException {
  constructor() {
    super(
      403,
      'Not allowed while impersonating: this route changes how the account is secured, or is for administrators',
      undefined,
      {},
      { code: IMPERSONATION_FORBIDDEN },
    );
  }
}

/** The 403 of a route an impersonation token may not use. */
export class ImpersonationForbiddenDto extends ProblemDetailsDto {
  @ApiPropertyOptional({
    enum: [IMPERSONATION_FORBIDDEN],
    description: 'Present when the refusal is for an impersonation token (one whose claims carry `act`)',
  })
  code?: typeof IMPERSONATION_FORBIDDEN;
}

export const NOT_WHILE_IMPERSONATING = 'notWhileImpersonating';

/** What the 403 of an impersonation token means, on every route that refuses one (the /admin routes too). */
export function ApiImpersonationForbidden(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ImpersonationForbiddenDto),
    ApiResponse({
      status: 403,
      description:
        'With `"code": "impersonation_forbidden"`: the token is an administrator\'s impersonation token (it ' +
        'carries `act`), which may not change the password, factors, passkeys or identities, reauthenticate, ' +
        'delete the account, sign out everywhere, end another session, or call an /admin route.',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ImpersonationForbiddenDto) } } },
    }),
  );
}

/**
 * The route changes how the account is secured: an impersonation token gets 403 `impersonation_forbidden`
 * (ImpersonationGuard, a global guard, enforces it; routes limited to admins are refused the same way).
 */
export function NotWhileImpersonating(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(NOT_WHILE_IMPERSONATING, true), ApiImpersonationForbidden());
}
