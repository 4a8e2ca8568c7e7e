import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { ApiServiceProblems } from '../openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../openapi/security-schemes';
import { ApiImpersonationForbidden } from './not-while-impersonating.decorator';
import { Roles } from './roles.decorator';

/**
 * A controller of administrators' routes: role admin only (others 403; an impersonation token 403
 * impersonation_forbidden), documented under Administration with both security schemes.
 */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    ApiTags('Administration'),
    ApiCookieAuth(SESSION_COOKIE_SCHEME),
    ApiBearerAuth(BEARER_SCHEME),
    Roles('admin'),
    ApiImpersonationForbidden(),
    ApiServiceProblems(),
    Controller(path),
  );
}
