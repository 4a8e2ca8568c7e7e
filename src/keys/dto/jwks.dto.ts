import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One public key (RFC 7517): EC members for ES256, RSA members for RS256; never a private member. */
export class PublicJwkDto {
  @ApiProperty({ enum: ['EC', 'RSA'], example: 'EC' }) kty!: string;
  @ApiProperty({ description: 'Key id: the `kid` in the header of the tokens it signed (RFC 7638 thumbprint)' })
  kid!: string;
  @ApiProperty({ enum: ['ES256', 'RS256'], example: 'ES256' }) alg!: string;
  @ApiProperty({ enum: ['sig'], example: 'sig' }) use!: 'sig';
  @ApiPropertyOptional({ example: 'P-256' }) crv?: string;
  @ApiPropertyOptional({ description: 'EC x coordinate, base64url' }) x?: string;
  @ApiPropertyOptional({ description: 'EC y coordinate, base64url' }) y?: string;
  @ApiPropertyOptional({ description: 'RSA modulus, base64url' }) n?: string;
  @ApiPropertyOptional({ description: 'RSA exponent, base64url', example: 'AQAB' }) e?: string;
}

export class JwksDto {
  @ApiProperty({
    type: [PublicJwkDto],
    description: 'Every next, signing and retired key still in use: verify a token with the key of its `kid`',
  })
  keys!: PublicJwkDto[];
}
