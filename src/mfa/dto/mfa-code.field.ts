import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/text.decorators';

/** A code typed by a person: 6 digits from the app, or a recovery code where the route takes one. */
export function MfaCodeField(description: string, example: string, { required = true } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, example, maxLength: 64, required }),
    ...(required ? [] : [IsOptional()]),
    Trim(),
    IsString({ message: 'code must be text' }),
    IsNotEmpty({ message: 'code must not be empty' }),
    MaxLength(64, { message: 'code must be at most 64 characters long' }),
  );
}

export const TOTP_OR_RECOVERY_CODE =
  'The 6-digit code the authenticator app shows now, or one of the recovery codes (`xxxx-xxxx-xxxx-xxxx`, ' +
  'case, spaces and hyphens ignored; each works once)';
