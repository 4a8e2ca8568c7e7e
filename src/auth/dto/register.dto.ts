import { ApiProperty } from '@nestjs/swagger';
import { EmailAddress } from '../../common/validation/email.decorators';
import { NewPasswordField } from '../../common/validation/password.decorators';
import { PersonName } from '../../common/validation/text.decorators';

export class RegisterDto {
  @ApiProperty({ example: 'John', minLength: 1, maxLength: 100 })
  @PersonName('firstName')
  firstName!: string;

  @ApiProperty({ example: 'Doe', minLength: 1, maxLength: 100 })
  @PersonName('lastName')
  lastName!: string;

  @ApiProperty({ example: 'john@example.com', description: 'Stored trimmed, NFC-normalised and lower-cased' })
  @EmailAddress()
  email!: string;

  @NewPasswordField('password', {
    example: 'SecurePass123!',
    description: '8 to 128 characters; must not be the email; must not be easy to guess (zxcvbn score)',
  })
  password!: string;
}
