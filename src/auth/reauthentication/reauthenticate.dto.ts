import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MfaCodeField, TOTP_OR_RECOVERY_CODE } from '../../mfa/dto/mfa-code.field';
import { SubmittedPasswordField } from '../../common/validation/password.decorators';

export class ReauthenticateDto {
  @IsOptional()
  @SubmittedPasswordField('password', {
    required: false,
    example: 'SecurePass123!',
    description: 'The current password; required when the account has one',
  })
  password?: string;

  @MfaCodeField(`${TOTP_OR_RECOVERY_CODE}; required when TOTP is on`, '492039', { required: false })
  code?: string;
}

/** The session's new proof of identity. */
export class ReauthenticatedDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-12-06T10:15:30.000Z',
    description:
      'When this session last proved who its user is: the routes that need a recent proof accept it for ' +
      'REAUTH_MAX_AGE_SECONDS from then',
  })
  authenticatedAt!: string;
}
