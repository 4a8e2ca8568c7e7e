import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, MaxLength, ValidateBy } from 'class-validator';
import { hasInvisibleCharacters } from '../email-address';
import { Trim } from './text.decorators';

/** An email address as the API accepts it; invisible or direction-changing characters are refused. */
export function EmailAddress(): PropertyDecorator {
  return applyDecorators(
    Trim(),
    IsString({ message: 'email must be text' }),
    MaxLength(254, { message: 'email must be at most 254 characters long' }),
    ValidateBy({
      name: 'noInvisibleCharacters',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasInvisibleCharacters(value),
        defaultMessage: () => 'email must not contain invisible or direction-changing characters',
      },
    }),
    IsEmail({ allow_utf8_local_part: true }, { message: 'email must be an email address' }),
  );
}
