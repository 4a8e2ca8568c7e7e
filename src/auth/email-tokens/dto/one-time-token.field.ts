import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { KEEP_MESSAGE_WHEN_MISSING } from '../../../common/validation.pipe';
import { INVALID_TOKEN_MESSAGE } from '../invalid-one-time-token.exception';

const MAX_TOKEN_LENGTH = 512;

/**
 * The token from a mailed link. One check with one message, so that a missing or malformed token gets
 * exactly the answer of an unknown, spent or expired one.
 */
export function OneTimeTokenField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: 'The token parameter of the link in the mail',
      example: 'q3Jx2bD1yJ8m0u6kU1c0nB9ZxQmJ0x2p9c7l1o4b5aQ',
      maxLength: MAX_TOKEN_LENGTH,
    }),
    ValidateBy(
      {
        name: 'oneTimeToken',
        validator: {
          validate: (value: unknown) =>
            typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH,
          defaultMessage: () => INVALID_TOKEN_MESSAGE,
        },
      },
      { context: KEEP_MESSAGE_WHEN_MISSING },
    ),
  );
}
