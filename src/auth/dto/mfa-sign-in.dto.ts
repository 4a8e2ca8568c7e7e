import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MFA_METHODS, MfaMethod } from '../../mfa/mfa-challenges';
import { MfaCodeField, TOTP_OR_RECOVERY_CODE } from '../../mfa/dto/mfa-code.field';

/** Login's answer for an account with a second factor: no tokens, no cookies, the next step's token. */
export class MfaRequiredDto {
  @ApiProperty({ enum: [true], example: true }) mfaRequired!: true;

  @ApiProperty({
    description: 'Opaque, single-purpose token for POST /user/auth/mfa: lives 5 minutes, dies after 3 wrong codes',
    example: 'q3Vt9n0m2kJ8yZx1c4b7a6s5d8f0g1h2j3k4l5z6x7c',
  })
  mfaToken!: string;

  @ApiProperty({ enum: MFA_METHODS, isArray: true, example: ['totp', 'recovery_code'] })
  methods!: MfaMethod[];
}

export class MfaSignInDto {
  @ApiProperty({ description: 'The mfaToken login answered', example: 'q3Vt9n0m2kJ8yZx1c4b7a6s5d8f0g1h2j3k4l5z6x7c' })
  @IsString({ message: 'mfaToken must be text' })
  @IsNotEmpty({ message: 'mfaToken must not be empty' })
  @MaxLength(256, { message: 'mfaToken must be at most 256 characters long' })
  mfaToken!: string;

  @MfaCodeField(TOTP_OR_RECOVERY_CODE, '492039')
  code!: string;
}
