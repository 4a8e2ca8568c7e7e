import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The standard JSON forms of WebAuthn options (PublicKeyCredentialCreationOptionsJSON and
 * PublicKeyCredentialRequestOptionsJSON), ready for PublicKeyCredential.parse*OptionsFromJSON().
 * Documented field by field; objects stay open, as the specification may add members.
 */
class RelyingPartyDto {
  @ApiProperty({ example: 'ClickBit Backend API' }) name!: string;
  @ApiPropertyOptional({ example: 'example.com' }) id?: string;
}

class UserEntityDto {
  @ApiProperty({
    description: 'User handle, base64url (the account id; no personal data)',
    example: 'C2w_VXw8TI6dijsvDB5adw',
  })
  id!: string;
  @ApiProperty({ example: 'john@example.com' }) name!: string;
  @ApiProperty({ example: 'John Doe' }) displayName!: string;
}

class CredentialParameterDto {
  @ApiProperty({ example: -7, description: 'COSE algorithm: -8 Ed25519, -7 ES256, -257 RS256' }) alg!: number;
  @ApiProperty({ enum: ['public-key'], example: 'public-key' }) type!: string;
}

class CredentialDescriptorDto {
  @ApiProperty({ description: 'Credential id, base64url', example: 'KEbWNCc7NgaYnUyrNeFGX9_3Y-8oJ3KwzjnaiD1d1LY' })
  id!: string;
  @ApiProperty({ enum: ['public-key'], example: 'public-key' }) type!: string;
  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] }) transports?: string[];
}

class AuthenticatorSelectionDto {
  @ApiPropertyOptional({ enum: ['required', 'preferred', 'discouraged'], example: 'required' }) residentKey?: string;
  @ApiPropertyOptional({ example: true }) requireResidentKey?: boolean;
  @ApiPropertyOptional({ enum: ['required', 'preferred', 'discouraged'], example: 'required' })
  userVerification?: string;
  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'] }) authenticatorAttachment?: string;
}

const CHALLENGE = {
  description: 'base64url; single use, valid for 5 minutes',
  example: 'HqRCfQeZqt5K7ektYN5UvyuxHP1EdGX_87kIsgrMqpQ',
};
const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;

export class CreationOptionsDto {
  @ApiProperty(CHALLENGE) challenge!: string;
  @ApiProperty({ type: RelyingPartyDto }) rp!: RelyingPartyDto;
  @ApiProperty({ type: UserEntityDto }) user!: UserEntityDto;
  @ApiProperty({ type: [CredentialParameterDto] }) pubKeyCredParams!: CredentialParameterDto[];
  @ApiPropertyOptional({ description: 'Milliseconds', example: 300000 }) timeout?: number;
  @ApiPropertyOptional({ enum: ['none', 'indirect', 'direct', 'enterprise'], example: 'none' }) attestation?: string;
  @ApiPropertyOptional({
    type: [CredentialDescriptorDto],
    description: "The user's registered passkeys: an authenticator that holds one refuses to add another",
  })
  excludeCredentials?: CredentialDescriptorDto[];
  @ApiPropertyOptional({ type: AuthenticatorSelectionDto }) authenticatorSelection?: AuthenticatorSelectionDto;
  @ApiPropertyOptional({ ...OPEN_OBJECT, example: { credProps: true } }) extensions?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], example: [] }) hints?: string[];
}

export class RequestOptionsDto {
  @ApiProperty(CHALLENGE) challenge!: string;
  @ApiPropertyOptional({ example: 'example.com' }) rpId?: string;
  @ApiPropertyOptional({
    type: [CredentialDescriptorDto],
    description: 'Empty for a discoverable sign-in (no email): the authenticator offers its passkeys for this site',
  })
  allowCredentials?: CredentialDescriptorDto[];
  @ApiPropertyOptional({ description: 'Milliseconds', example: 300000 }) timeout?: number;
  @ApiPropertyOptional({ enum: ['required', 'preferred', 'discouraged'], example: 'required' })
  userVerification?: string;
  @ApiPropertyOptional({ ...OPEN_OBJECT }) extensions?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], example: [] }) hints?: string[];
}
