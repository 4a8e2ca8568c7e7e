import { ApiProperty } from '@nestjs/swagger';
import { EmailAddress } from '../../../common/validation/email.decorators';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'john@example.com' })
  @EmailAddress()
  email!: string;
}
