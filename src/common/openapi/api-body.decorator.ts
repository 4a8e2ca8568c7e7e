import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';

/** A request body accepted as JSON or as an HTML form, as the original service's clients send. */
export function ApiJsonOrFormBody(type: Type<unknown>): MethodDecorator {
  return applyDecorators(ApiConsumes('application/json', 'application/x-www-form-urlencoded'), ApiBody({ type }));
}
