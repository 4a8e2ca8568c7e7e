import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { EmailAddress } from '../../common/validation/email.decorators';
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

  @ApiProperty({
    example: 'SecurePass123!',
    minLength: 8,
    maxLength: 128,
    description: '8 to 128 characters; must not be the email; must not be easy to guess (zxcvbn score)',
  })
  @IsString({ message: 'password must be text' })
  @MaxLength(1024, { message: 'password must be at most 128 characters long' })
  password!: string;
}
