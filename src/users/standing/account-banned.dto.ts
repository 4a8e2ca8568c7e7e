import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../../common/openapi/problem-details.dto';
import { ACCOUNT_BANNED } from './account-standing';

/** The 403 of a sign-in whose credential was right, on a banned account. */
export class AccountBannedDto extends ProblemDetailsDto {
  @ApiPropertyOptional({ enum: [ACCOUNT_BANNED], description: 'Present when the account is banned' })
  code?: typeof ACCOUNT_BANNED;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    required: false,
    description: 'With code account_banned: when the ban ends; null: until an administrator lifts it',
  })
  until?: string | null;
}

/** Documents a sign-in route's 403 for a banned account (after the credential was verified). */
export function ApiAccountBanned(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(AccountBannedDto),
    ApiResponse({
      status: 403,
      description:
        'With `"code": "account_banned"` and `until`: the credential was right, but an administrator banned the ' +
        'account (a wrong credential is 401 as ever, so this tells nothing to someone without it).',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(AccountBannedDto) } } },
    }),
  );
}
