import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { OneTimeTokenField } from './one-time-token.field';

export class ResetPasswordDto {
  @OneTimeTokenField()
  token!: string;

  @ApiProperty({
    example: 'An0ther-Long-Passphrase',
    minLength: 8,
    maxLength: 128,
    description: 'The same policy as at registration',
  })
  @IsString({ message: 'newPassword must be text' })
  @MaxLength(1024, { message: 'newPassword must be at most 128 characters long' })
  newPassword!: string;
}
