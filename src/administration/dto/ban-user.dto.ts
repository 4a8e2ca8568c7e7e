import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches } from 'class-validator';
import { DATE_TIME } from '../../audit/dto/audit-query.dto';
import { Optional } from '../../common/validation/optional.decorator';
import { AdminReason } from './admin-reason.decorator';

export class BanUserDto {
  @AdminReason(
    'Why the account is banned: kept on the account, written to the audit trail and told to the user',
    'Repeated spam after two warnings',
  )
  reason!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the ban ends, in the future; absent: until lifted with DELETE /admin/users/{id}/ban',
    example: '2099-01-01T00:00:00Z',
  })
  @Optional()
  @IsString({ message: 'until must be a date-time' })
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date' })
  @Matches(DATE_TIME, { message: 'until must be a date-time such as 2027-01-01T00:00:00Z' })
  until?: string;
}
