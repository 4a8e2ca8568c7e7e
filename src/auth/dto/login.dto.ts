import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/text.decorators';

export class LoginDto {
  @ApiProperty({ example: 'john@example.com' })
  @Trim()
  @IsString({ message: 'email must be text' })
  @IsNotEmpty({ message: 'email must not be empty' })
  @MaxLength(320, { message: 'email must be at most 320 characters long' })
  email!: string;

  @ApiProperty({ example: 'SecurePass123!' })
  @IsString({ message: 'password must be text' })
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(1024, { message: 'password must be at most 1024 characters long' })
  password!: string;
}
