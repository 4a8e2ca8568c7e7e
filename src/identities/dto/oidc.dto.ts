import { Injectable, PipeTransform } from '@nestjs/common';
import { ExternalIdentity } from '../entities/external-identity.entity';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { textFault } from '../../common/validation/input-faults';

/** A provider a user may sign in with. */
export class OidcProviderDto {
  @ApiProperty({ example: 'google', description: 'The id used in the routes' }) id!: string;
  @ApiProperty({ example: 'Google', description: 'The name to show on the button' }) name!: string;
}

export class OidcAuthorizeQueryDto {
  @ApiPropertyOptional({
    description:
      'Where the callback sends the browser back: a path on FRONTEND_URL or an absolute URL on FRONTEND_URL or a ' +
      'CORS_ORIGINS origin. Default: FRONTEND_URL\'s "/".',
    example: '/settings',
    maxLength: 2048,
  })
  @IsOptional()
  @IsString({ message: 'returnTo must be text' })
  @MaxLength(2048, { message: 'returnTo must be at most 2048 characters long' })
  returnTo?: string;

  @ApiPropertyOptional({
    enum: ['true'],
    description: 'Reauthenticate the signed-in session (its cookie) through a provider identity linked to it',
  })
  @IsOptional()
  @IsIn(['true'], { message: 'reauth must be true when given' })
  reauth?: 'true';
}

/** The callback's parameters (read from the raw query: a malformed one must still end in a 302). */
export const OIDC_CALLBACK_PARAMETERS = {
  code: 'The authorization code',
  state: 'The state the authorize step sent',
  error: "The provider's error code",
  error_description: "The provider's error text (ignored)",
  iss: 'The issuer (RFC 9207), checked when the provider sends it',
} as const;

export type OidcCallbackParameters = Partial<Record<keyof typeof OIDC_CALLBACK_PARAMETERS, string>>;

/** Only a parameter given once as text is read; a repeated one reads as absent (and fails the flow). */
export function callbackParameters(query: unknown): OidcCallbackParameters {
  const raw = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const read: OidcCallbackParameters = {};
  for (const name of Object.keys(OIDC_CALLBACK_PARAMETERS) as (keyof typeof OIDC_CALLBACK_PARAMETERS)[]) {
    const value = raw[name];
    // NUL and lone surrogates cannot reach a query (PostgreSQL refuses them): such a value reads as absent.
    if (typeof value === 'string' && value.length <= 4096 && textFault(value) === undefined) read[name] = value;
  }
  return read;
}

/** The callback's query, read by callbackParameters: never refused, so that its answer stays a 302. */
@Injectable()
export class CallbackParametersPipe implements PipeTransform<unknown, OidcCallbackParameters> {
  transform(value: unknown): OidcCallbackParameters {
    return callbackParameters(value);
  }
}

const PROVIDER_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The `:provider` path segment: an id as OIDC_PROVIDERS spells them, else '' (which names no provider:
 * 404 at authorize, `error=invalid_request` at the callback). Never a 400: an unknown id is not found.
 */
@Injectable()
export class ProviderIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return typeof value === 'string' && value.length <= 40 && PROVIDER_ID.test(value) ? value : '';
  }
}

/** An identity at a provider linked to the account. */
export class IdentityDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2a9e-1d7b-4c3e-8a6f-2b9d4e7c1a05' }) id!: string;
  @ApiProperty({ example: 'google', description: 'The OIDC_PROVIDERS id' }) provider!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com', description: 'As the provider gave it' })
  email!: string | null;
  @ApiProperty({ format: 'date-time' }) linkedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last sign-in with it' })
  lastUsedAt!: string | null;
}

export function toIdentityDto(identity: ExternalIdentity): IdentityDto {
  return {
    id: identity.id,
    provider: identity.provider,
    email: identity.email,
    linkedAt: identity.linkedAt.toISOString(),
    lastUsedAt: identity.lastUsedAt?.toISOString() ?? null,
  };
}

export class AuthorizationUrlDto {
  @ApiProperty({
    format: 'uri',
    description: "The provider's URL: open it in this browser (the oidc_flow cookie binds the flow to it)",
    example: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=…',
  })
  authorizationUrl!: string;
}

/** The `:provider` of an API route (link): a malformed id is the client's mistake, 400 naming the field. */
@Injectable()
export class ProviderIdParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value === 'string' && value.length <= 40 && PROVIDER_ID.test(value)) return value;
    const message = 'provider must be lower-case letters, digits and dashes (at most 40)';
    throw new ValidationFailedException([{ field: 'provider', message }]);
  }
}
