import { FieldError } from '../problem-details/problem';

const NUL = '\u0000';

/** Most field errors one request is answered with: enough to fix it, never a body's worth. */
const MAX_FIELD_ERRORS = 10;

function joined(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * The fields of a parsed input (body, query or path parameters) whose text holds a NUL character,
 * in a value or in a key: PostgreSQL cannot store one in text, so it must never reach a query. Walks
 * with an explicit stack (the body shape check has already bounded entries and depth).
 */
export function nulCharacterFaults(input: unknown, errors: FieldError[] = []): FieldError[] {
  const stack: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }];
  while (stack.length > 0 && errors.length < MAX_FIELD_ERRORS) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      // A bare string is a whole body (JSON "…"); fields are named as the validation pipe names them.
      const field = path || 'body';
      if (value.includes(NUL)) errors.push({ field, message: `${field} must not contain a NUL character` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const field = joined(path, key);
      if (key.includes(NUL)) {
        errors.push({ field, message: 'a field name must not contain a NUL character' });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: field });
    }
  }
  return errors;
}

/**
 * Query keys that ask for structure (`action[]`, `outcome[$ne]`): query parameters are scalars, and
 * such a key would otherwise pass as an unknown parameter, silently dropping the filter it meant.
 */
export function bracketedQueryKeyFaults(query: unknown, errors: FieldError[] = []): FieldError[] {
  if (typeof query !== 'object' || query === null) return errors;
  for (const key in query) {
    if (errors.length >= MAX_FIELD_ERRORS) break;
    if (key.includes('[') || key.includes(']')) {
      errors.push({ field: key, message: `${key}: query parameters are scalars; a key with [ or ] is not accepted` });
    }
  }
  return errors;
}
