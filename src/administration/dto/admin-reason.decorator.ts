import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { Trim } from '../../common/validation/text.decorators';

/** An administrator's reason for acting on an account: 1 to 500 characters after trimming, no control characters. */
export function AdminReason(description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, maxLength: 500, description, example }),
    Trim(),
    IsString({ message: 'reason must be text' }),
    Length(1, 500, { message: 'reason must be 1 to 500 characters long' }),
    Matches(/^[^\p{Cc}]*$/u, { message: 'reason must not contain control characters' }),
  );
}
