import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty({ example: 'SecurePass123!' })
  @IsString({ message: 'currentPassword must be text' })
  @IsNotEmpty({ message: 'currentPassword must not be empty' })
  @MaxLength(1024, { message: 'currentPassword must be at most 1024 characters long' })
  currentPassword!: string;

  @ApiProperty({ example: 'An0ther-Long-Passphrase', minLength: 8, maxLength: 128 })
  @IsString({ message: 'newPassword must be text' })
  @MaxLength(1024, { message: 'newPassword must be at most 128 characters long' })
  newPassword!: string;
}

export class DeleteAccountDto {
  @ApiProperty({ example: 'SecurePass123!', description: 'The current password, to confirm' })
  @IsString({ message: 'password must be text' })
  @IsNotEmpty({ message: 'password must not be empty' })
  @MaxLength(1024, { message: 'password must be at most 1024 characters long' })
  password!: string;
}
