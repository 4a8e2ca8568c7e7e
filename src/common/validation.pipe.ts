import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './problem-details/problem';
import { ValidationFailedException } from './problem-details/problem.exception';

/** Set as a rule's `context` when a field must answer with that rule's message even when missing. */
export const KEEP_MESSAGE_WHEN_MISSING = { keepMessageWhenMissing: true };

function keepsMessage(error: ValidationError): boolean {
  return Object.values(error.contexts ?? {}).some(
    (context) => (context as Partial<typeof KEEP_MESSAGE_WHEN_MISSING> | undefined)?.keepMessageWhenMissing === true,
  );
}

/** One message per field: "is required" for a field that did not come, else the first rule it broke. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const missing = (error.value === undefined || error.value === null || error.value === '') && !keepsMessage(error);
    const first = Object.values(error.constraints ?? {})[0];
    const own = first === undefined ? [] : [{ field, message: missing ? `${field} is required` : first }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Unknown fields are dropped (whitelist), values converted (transform), failures listed per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    // The value is read only to tell a missing field from a bad one; it never reaches the response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationFailedException(flatten(errors)),
  });
}
