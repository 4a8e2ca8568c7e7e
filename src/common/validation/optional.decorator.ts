import { ValidateIf } from 'class-validator';

/**
 * An optional field: it may be absent, but a value that came must pass the field's rules. Unlike
 * class-validator's IsOptional, null is a value here (the document declares no input nullable), so
 * `{"firstName": null}` is 400 rather than a silent no-op.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
