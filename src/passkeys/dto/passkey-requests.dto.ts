import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmptyObject, IsObject, ValidateNested } from 'class-validator';
import { EmailAddress } from '../../common/validation/email.decorators';
import { PasskeyName } from './passkey-name.decorator';
import { Optional } from '../../common/validation/optional.decorator';
import { AuthenticationResponseDto, RegistrationResponseDto } from './webauthn-credential.dto';

export class RegisterPasskeyDto {
  @ApiProperty({ type: RegistrationResponseDto, description: 'credential.toJSON() of navigator.credentials.create()' })
  @IsNotEmptyObject({}, { message: 'credential must be an object' })
  @IsObject({ message: 'credential must be an object' })
  @ValidateNested()
  @Type(() => RegistrationResponseDto)
  credential!: RegistrationResponseDto;

  @ApiPropertyOptional({
    description: 'A label for the list (default: "Passkey")',
    example: 'MacBook Touch ID',
    maxLength: 100,
  })
  @Optional()
  @PasskeyName()
  name?: string;
}

export class RenamePasskeyDto {
  @ApiProperty({ example: 'Work YubiKey', maxLength: 100 })
  @PasskeyName()
  name!: string;
}

export class PasskeySignInOptionsDto {
  @ApiPropertyOptional({
    description: 'Optional; validated, then ignored: the options are the same whatever the email',
    example: 'john@example.com',
  })
  @Optional()
  @EmailAddress()
  email?: string;
}

export class PasskeySignInDto {
  @ApiProperty({ type: AuthenticationResponseDto, description: 'credential.toJSON() of navigator.credentials.get()' })
  @IsNotEmptyObject({}, { message: 'credential must be an object' })
  @IsObject({ message: 'credential must be an object' })
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  credential!: AuthenticationResponseDto;
}
