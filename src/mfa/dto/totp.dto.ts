import { ApiProperty } from '@nestjs/swagger';
import { SubmittedPasswordField } from '../../common/validation/password.decorators';
import { MfaCodeField, TOTP_OR_RECOVERY_CODE } from './mfa-code.field';

export class TotpSetupDto {
  @ApiProperty({
    description: 'The new secret in Base32, for typing into an authenticator app by hand; shown only now',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret!: string;

  @ApiProperty({
    description: 'The otpauth:// URI authenticator apps read (issuer MFA_ISSUER, account the email)',
    example:
      'otpauth://totp/ClickBit%20Backend%20API:john%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ClickBit%20Backend%20API',
  })
  otpauthUrl!: string;

  @ApiProperty({
    description: 'The same URI as a QR code, an SVG document',
    example: '<svg xmlns="http://www.w3.org/2000/svg" …</svg>',
  })
  qrCodeSvg!: string;
}

export class EnableTotpDto {
  @MfaCodeField('The 6-digit code the authenticator app shows for the new secret', '492039')
  code!: string;
}

export class DisableTotpDto {
  @SubmittedPasswordField('password', { example: 'SecurePass123!', description: 'The current password, to confirm' })
  password!: string;

  @MfaCodeField(TOTP_OR_RECOVERY_CODE, '492039')
  code!: string;
}

export class RegenerateRecoveryCodesDto {
  @SubmittedPasswordField('password', { example: 'SecurePass123!', description: 'The current password, to confirm' })
  password!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    minItems: 10,
    maxItems: 10,
    description:
      'Ten single-use recovery codes, shown only this once (only their hashes are kept); any earlier set stops working',
    example: ['abcd-efgh-ijkl-mnop', 'qrst-uvwx-yz23-4567'],
  })
  recoveryCodes!: string[];
}
