import { FieldError } from '../problem-details/problem';

const NUL = '\u0000';
/** With the u flag a surrogate pair is one code point, so only a lone surrogate is category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Most field errors one request is answered with: enough to fix it, never a body's worth. */
const MAX_FIELD_ERRORS = 10;

function joined(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** Why a piece of text cannot be taken, or undefined when it can. */
export function textFault(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain a NUL character';
  // A lone surrogate (JSON can escape one) is not Unicode text: validators throw on it, PostgreSQL would store U+FFFD.
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode text (no lone surrogate)';
  return undefined;
}

/**
 * The fields of a parsed input (body, query or path parameters) whose text, in a value or in a key,
 * holds a NUL character (PostgreSQL cannot store one, so it must never reach a query) or a lone
 * surrogate. Walks with an explicit stack (the body shape check has already bounded entries and depth).
 */
export function textFaults(input: unknown, errors: FieldError[] = []): FieldError[] {
  const stack: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }];
  while (stack.length > 0 && errors.length < MAX_FIELD_ERRORS) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      // A bare string is a whole body (JSON "…"); fields are named as the validation pipe names them.
      const field = path || 'body';
      const fault = textFault(value);
      if (fault) errors.push({ field, message: `${field} ${fault}` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const field = joined(path, key);
      const fault = textFault(key);
      if (fault) {
        errors.push({ field, message: `a field name ${fault}` });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: field });
    }
  }
  return errors;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

/**
 * Body keys named `__proto__` or `constructor`, at any depth: the parsers refuse `__proto__` and a
 * `constructor` holding a `prototype`; a bare `constructor` key is refused here, so that no such key
 * ever reaches class-transformer or a handler.
 */
export function forbiddenKeyFaults(body: unknown, errors: FieldError[] = []): FieldError[] {
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0 && errors.length < MAX_FIELD_ERRORS) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value !== 'object' || value === null) continue;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const field = joined(path, key);
      if (FORBIDDEN_KEYS.has(key)) errors.push({ field, message: `${key} is not accepted as a field name` });
      else stack.push({ value: (value as Record<string, unknown>)[key], path: field });
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
