import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/** Trims strings (forms and JSON alike); other types pass through for the validators to refuse. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** A person's name: 1 to 100 characters after trimming, no control characters. */
export function PersonName(field: string): PropertyDecorator {
  return applyDecorators(
    Trim(),
    IsString({ message: `${field} must be text` }),
    Length(1, 100, { message: `${field} must be 1 to 100 characters long` }),
    Matches(/^[^\p{Cc}]*$/u, { message: `${field} must not contain control characters` }),
  );
}
