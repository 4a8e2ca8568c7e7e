import { ApiProperty } from '@nestjs/swagger';
import { AdminReason } from './admin-reason.decorator';

export class ImpersonateDto {
  @AdminReason(
    'Why you act as the user: written to the audit trail and shown to the user in their activity and mail',
    'Ticket 4521: the user cannot find the export button',
  )
  reason!: string;
}

/** An impersonation token: no refresh token, no cookie. */
export class ImpersonationTokenDto {
  @ApiProperty({
    description:
      'JWT access token for the user, whose claims carry `act: { sub: <your admin id> }` (RFC 8693 actor). ' +
      'Send it as `Authorization: Bearer`; it is never set as a cookie and cannot be refreshed.',
  })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType!: 'Bearer';

  @ApiProperty({
    type: 'integer',
    description: 'Seconds until the token expires (IMPERSONATION_MINUTES)',
    example: 900,
  })
  expiresIn!: number;
}
