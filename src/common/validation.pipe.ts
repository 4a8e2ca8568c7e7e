import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError } from './problem-details/problem';
import { ValidationFailedException } from './problem-details/problem.exception';

/** Set as a rule's `context` when a field must answer with that rule's message even when missing. */
export const KEEP_MESSAGE_WHEN_MISSING = { keepMessageWhenMissing: true };

function keepsMessage(error: ValidationError): boolean {
  return Object.values(error.contexts ?? {}).some(
    (context) => (context as Partial<typeof KEEP_MESSAGE_WHEN_MISSING> | undefined)?.keepMessageWhenMissing === true,
  );
}

/** The message for a field that broke a rule: missing, null, or the first rule it broke. */
function messageOf(error: ValidationError, field: string, first: string): string {
  if (keepsMessage(error)) return first;
  if (error.value === undefined || error.value === '') return `${field} is required`;
  return error.value === null ? `${field} must not be null` : first;
}

/** One message per field: "is required" for a field that did not come, else the first rule it broke. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const first = Object.values(error.constraints ?? {})[0];
    const own = first === undefined ? [] : [{ field, message: messageOf(error, field, first) }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const knownFields = new WeakMap<Type<unknown>, Set<string>>();

/** The properties a DTO class declares rules for (its own and inherited), read once per class. */
function fieldsOf(metatype: Type<unknown>): Set<string> {
  let fields = knownFields.get(metatype);
  if (!fields) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
    fields = new Set(rules.map((rule) => rule.propertyName));
    knownFields.set(metatype, fields);
  }
  return fields;
}

/**
 * The global pipe. Unknown fields are dropped (whitelist), values converted (transform), failures
 * listed per field. Before the DTO sees them: a body that came must be an object (a JSON array,
 * string, number, boolean or null is 400 even where every field is optional), and a known query
 * parameter must come once (`limit=1&limit=2` parses to an array no rule was written for).
 */
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      transform: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      // The value is read only to tell a missing field from a bad one; it never reaches the response.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new ValidationFailedException(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (metatype && this.toValidate(metadata)) {
      if (
        metadata.type === 'body' &&
        value !== undefined &&
        (typeof value !== 'object' || value === null || Array.isArray(value))
      ) {
        throw new ValidationFailedException([{ field: 'body', message: 'the body must be an object' }]);
      }
      if (metadata.type === 'query' && metadata.data === undefined) refuseRepeatedKeys(value, fieldsOf(metatype));
    }
    return super.transform(value, metadata);
  }
}

function refuseRepeatedKeys(query: unknown, known: Set<string>): void {
  if (typeof query !== 'object' || query === null) return;
  const repeated = Object.entries(query).filter(([key, value]) => known.has(key) && Array.isArray(value));
  if (repeated.length === 0) return;
  throw new ValidationFailedException(repeated.map(([key]) => ({ field: key, message: `${key} must be given once` })));
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe();
}
