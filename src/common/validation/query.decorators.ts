import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const PLAIN_DECIMAL = /^-?[0-9]+$/;

/**
 * Query text to a number only when it is a plain decimal integer: Number() would also read `0x10`,
 * `1e2`, `+5`, ` 5 ` and the empty string, each of which is left as text for the rule to refuse.
 */
function plainDecimal({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && PLAIN_DECIMAL.test(value) ? Number(value) : value;
}

/**
 * An optional whole-number query parameter within [min, max] (a page number, a page size): converted
 * from the query string's text, refused with one message naming the field and its range, and
 * documented with its bounds and default (its OpenAPI type is given: an initialised property carries no
 * usable design type). The property's initialiser holds the default.
 */
export function BoundedIntQuery(field: string, min: number, max: number, fallback: number): PropertyDecorator {
  const range = { message: `${field} must be between ${min} and ${max}` };
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, default: fallback }),
    IsOptional(),
    Transform(plainDecimal),
    IsInt({ message: `${field} must be a whole number (plain decimal digits)` }),
    Min(min, range),
    Max(max, range),
  );
}
