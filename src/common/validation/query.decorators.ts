import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
    Type(() => Number),
    IsInt({ message: `${field} must be a whole number` }),
    Min(min, range),
    Max(max, range),
  );
}
