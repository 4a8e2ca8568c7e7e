import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
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
