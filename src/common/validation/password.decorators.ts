import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/**
 * A password being set (registration, change, reset). Its policy (8 to 128 code points, zxcvbn) is
 * checked by PasswordPolicy where the owner is known; here only a byte-bound cap against abuse, named
 * with the policy's limit so the client sees one rule.
 */
export function NewPasswordField(field: string, docs: ApiPropertyOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 8, maxLength: 128, ...docs }),
    IsString({ message: `${field} must be text` }),
    MaxLength(1024, { message: `${field} must be at most 128 characters long` }),
  );
}

/** A password offered as proof (login, current password, account deletion): never scored. */
export function SubmittedPasswordField(field: string, docs: ApiPropertyOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty(docs),
    IsString({ message: `${field} must be text` }),
    IsNotEmpty({ message: `${field} must not be empty` }),
    MaxLength(1024, { message: `${field} must be at most 1024 characters long` }),
  );
}
