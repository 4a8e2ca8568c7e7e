import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.dto';

const MEANING: Record<number, string> = {
  400: 'Invalid input: a malformed body or URL, or field errors listed in `errors`',
  401: 'Missing, invalid, expired or revoked credentials (with `WWW-Authenticate: Bearer`)',
  403: 'Authenticated but not allowed (role, unverified email, or a cross-site cookie request)',
  404: 'No such resource',
  409: 'Conflicts with the current state',
  413: 'Body larger than BODY_LIMIT_BYTES',
  415: 'Body is neither JSON nor a form',
  429: 'Rate limit or account lockout (see `Retry-After`)',
  503: 'The database (or another dependency) is unavailable; retry later',
};

/** Documents the problem-details answers a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: MEANING[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}

/**
 * On an API controller: what every one of its routes can answer: invalid input (every route refuses a
 * NUL character or a bracketed query key), rate limited, or the database unreachable.
 */
export function ApiServiceProblems(): ClassDecorator {
  return ApiProblems(400, 429, 503);
}
