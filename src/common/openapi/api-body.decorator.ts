import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { ApiProblems } from './api-problems.decorator';

/**
 * A request body accepted as JSON or as an HTML form, as the original service's clients send, with the
 * answers every such route gives before its own code runs: 400 (malformed, prototype keys, too many keys
 * or too deep), 413 (over BODY_LIMIT_BYTES) and 415 (neither JSON nor a form).
 */
export function ApiJsonOrFormBody(type: Type<unknown>, options: { required?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    ApiConsumes('application/json', 'application/x-www-form-urlencoded'),
    ApiBody({ type, required: options.required ?? true }),
    ApiProblems(400, 413, 415),
  );
}
