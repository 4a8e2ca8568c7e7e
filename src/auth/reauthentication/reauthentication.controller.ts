import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { FastifyRequest } from 'fastify';
import { JsonBodyOnly } from '../../common/body-shape/json-body-only';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../../common/openapi/security-schemes';
import { PasskeySignInDto } from '../../passkeys/dto/passkey-requests.dto';
import { RequestOptionsDto } from '../../passkeys/dto/webauthn-options.dto';
import { PasskeyReauthentication } from '../../passkeys/passkey-reauthentication';
import { AuthenticatedUser, signedInCaller } from '../../users/authenticated-user';
import { ReauthenticateDto, ReauthenticatedDto } from './reauthenticate.dto';
import { Reauthentication } from './reauthentication';
import { NotWhileImpersonating } from '../../common/decorators/not-while-impersonating.decorator';

const WHY =
  'Adding or removing a passkey, setting up TOTP and the admin routes that act on another account need a ' +
  'proof of identity at most REAUTH_MAX_AGE_SECONDS old (else 403 with `"code": "reauthentication_required"`).';

@ApiTags('Authentication')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@NotWhileImpersonating()
@Controller('user/auth/reauthenticate')
export class ReauthenticationController {
  constructor(
    private readonly reauthentication: Reauthentication,
    private readonly passkeys: PasskeyReauthentication,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Prove who you are again (step-up)',
    description:
      `${WHY} The password, and a code (TOTP or recovery) when TOTP is on, make this session's proof new. A ` +
      'wrong password or code: 400 with a field error; it counts toward the account lockout like a failed login ' +
      '(429 while locked).',
  })
  @ApiJsonOrFormBody(ReauthenticateDto)
  @ApiOkResponse({ type: ReauthenticatedDto })
  @ApiProblems(400, 401, 403, 429)
  async withSecrets(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: ReauthenticateDto,
    @Req() request: FastifyRequest,
  ): Promise<ReauthenticatedDto> {
    const at = await this.reauthentication.withSecrets(signedInCaller(caller, request), body.password, body.code);
    return { authenticatedAt: at.toISOString() };
  }

  @Post('passkey/options')
  @HttpCode(200)
  @JsonBodyOnly()
  @ApiOperation({
    summary: 'Start a step-up with a passkey',
    description:
      "Request options listing the caller's passkeys, user verification required; the challenge is single use " +
      'and expires after 5 minutes. 409 when the account has no passkey.',
  })
  @ApiOkResponse({ type: RequestOptionsDto })
  @ApiProblems(401, 403, 409)
  // Documented by RequestOptionsDto; returned as the library built it.
  options(@CurrentUser() caller: AuthenticatedUser): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.options(caller.user.id);
  }

  @Post('passkey')
  @HttpCode(200)
  @JsonBodyOnly(PasskeySignInDto)
  @ApiOperation({
    summary: 'Prove who you are again with a passkey',
    description:
      `${WHY} Takes credential.toJSON() of navigator.credentials.get(); only a passkey of the caller, with user ` +
      'verification. 400: a challenge that is unknown, spent or expired, or an assertion that does not verify.',
  })
  @ApiOkResponse({ type: ReauthenticatedDto })
  @ApiProblems(401, 403)
  async withPasskey(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: PasskeySignInDto,
    @Req() request: FastifyRequest,
  ): Promise<ReauthenticatedDto> {
    const at = await this.reauthentication.withPasskey(signedInCaller(caller, request), body.credential);
    return { authenticatedAt: at.toISOString() };
  }
}
