import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** AuthenticatorTransport of WebAuthn Level 3 ("cable" is the older name of "hybrid"). */
export const WEBAUTHN_TRANSPORTS = ['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal', 'cable'];
const base64url = (field: string) => Matches(BASE64URL, { message: `${field} must be base64url` });
// Examples that pass the rules below (whole base64url, client data that decodes), so the documented
// request is a valid one; only a live ceremony's challenge and signature make it succeed.
const CREATE_CLIENT_DATA =
  'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiWTJoaGJHeGxibWRsTFdaeWIyMHRkR2hsTFc5d2RHbHZibk0iLCJvcmlnaW4iOiJodHRwczovL2FwcC5leGFtcGxlLmNvbSIsImNyb3NzT3JpZ2luIjpmYWxzZX0';
const GET_CLIENT_DATA =
  'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiWTJoaGJHeGxibWRsTFdaeWIyMHRkR2hsTFc5d2RHbHZibk0iLCJvcmlnaW4iOiJodHRwczovL2FwcC5leGFtcGxlLmNvbSIsImNyb3NzT3JpZ2luIjpmYWxzZX0';
// Attestation objects carry certificate chains for some formats; 64 KiB is far above any seen.
const LARGE = 65_536;

/** `response` of a RegistrationResponseJSON (AuthenticatorAttestationResponseJSON). */
export class AttestationResponseDto {
  @ApiProperty({ description: 'base64url', example: CREATE_CLIENT_DATA })
  @IsString()
  @MaxLength(LARGE)
  @base64url('clientDataJSON')
  clientDataJSON!: string;

  @ApiProperty({ description: 'base64url CBOR', example: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF' })
  @IsString()
  @MaxLength(LARGE)
  @base64url('attestationObject')
  attestationObject!: string;

  @ApiPropertyOptional({ description: 'base64url' })
  @IsOptional()
  @IsString()
  @MaxLength(LARGE)
  authenticatorData?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: WEBAUTHN_TRANSPORTS },
    example: ['internal', 'hybrid'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(WEBAUTHN_TRANSPORTS, { each: true, message: `each transport must be one of ${WEBAUTHN_TRANSPORTS.join(', ')}` })
  transports?: string[];

  @ApiPropertyOptional({ description: 'COSE algorithm', example: -7 })
  @IsOptional()
  @IsInt()
  publicKeyAlgorithm?: number;

  @ApiPropertyOptional({ description: 'base64url SubjectPublicKeyInfo' })
  @IsOptional()
  @IsString()
  @MaxLength(LARGE)
  publicKey?: string;
}

/** `response` of an AuthenticationResponseJSON (AuthenticatorAssertionResponseJSON). */
export class AssertionResponseDto {
  @ApiProperty({ description: 'base64url', example: GET_CLIENT_DATA })
  @IsString()
  @MaxLength(LARGE)
  @base64url('clientDataJSON')
  clientDataJSON!: string;

  @ApiProperty({ description: 'base64url', example: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MdAAAAAQ' })
  @IsString()
  @MaxLength(LARGE)
  @base64url('authenticatorData')
  authenticatorData!: string;

  @ApiProperty({
    description: 'base64url',
    example: 'MEUCIQDx8n0cL7Sr9xYJaL1xq7KkZ4UjRNq9fEoYQm2Vb5WcAIgR3l8c2x4b1ZqT0k',
  })
  @IsString()
  @MaxLength(LARGE)
  @base64url('signature')
  signature!: string;

  @ApiPropertyOptional({
    description: 'base64url user handle (discoverable credentials)',
    example: 'C2w_VXw8TI6dijsvDB5adw',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @base64url('userHandle')
  userHandle?: string;
}

abstract class PublicKeyCredentialDto {
  @ApiProperty({ description: 'Credential id, base64url', example: 'KEbWNCc7NgaYnUyrNeFGX9_3Y-8oJ3KwzjnaiD1d1LY' })
  @IsString()
  @MaxLength(1400)
  @base64url('id')
  id!: string;

  @ApiProperty({ description: 'The same id, base64url', example: 'KEbWNCc7NgaYnUyrNeFGX9_3Y-8oJ3KwzjnaiD1d1LY' })
  @IsString()
  @MaxLength(1400)
  @base64url('rawId')
  rawId!: string;

  @ApiProperty({ enum: ['public-key'], example: 'public-key' })
  @IsIn(['public-key'], { message: 'type must be public-key' })
  type!: 'public-key';

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'], example: 'platform' })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Extension outputs, as the browser reports them',
    example: { credProps: { rk: true } },
  })
  @IsObject()
  clientExtensionResults!: Record<string, unknown>;
}

/** What `navigator.credentials.create()` resolves to, after `credential.toJSON()`. */
export class RegistrationResponseDto extends PublicKeyCredentialDto {
  @ApiProperty({ type: AttestationResponseDto })
  @ValidateNested()
  @Type(() => AttestationResponseDto)
  @IsObject()
  response!: AttestationResponseDto;
}

/** What `navigator.credentials.get()` resolves to, after `credential.toJSON()`. */
export class AuthenticationResponseDto extends PublicKeyCredentialDto {
  @ApiProperty({ type: AssertionResponseDto })
  @ValidateNested()
  @Type(() => AssertionResponseDto)
  @IsObject()
  response!: AssertionResponseDto;
}
