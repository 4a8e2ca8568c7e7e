import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { SubmittedPasswordField } from '../../common/validation/password.decorators';
import { Trim } from '../../common/validation/text.decorators';

export class LoginDto {
  @ApiProperty({ example: 'john@example.com' })
  @Trim()
  @IsString({ message: 'email must be text' })
  @IsNotEmpty({ message: 'email must not be empty' })
  @MaxLength(320, { message: 'email must be at most 320 characters long' })
  email!: string;

  @SubmittedPasswordField('password', { example: 'SecurePass123!' })
  password!: string;
}
