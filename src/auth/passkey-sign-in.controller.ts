import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { FastifyReply, FastifyRequest } from 'fastify';
import { JsonBodyOnly } from '../common/body-shape/json-body-only';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { PasskeySignInDto, PasskeySignInOptionsDto } from '../passkeys/dto/passkey-requests.dto';
import { RequestOptionsDto } from '../passkeys/dto/webauthn-options.dto';
import { PasskeyAuthentication } from '../passkeys/passkey-authentication';
import { SetsSessionCookies } from '../security/sets-session-cookies.decorator';
import { clientInfo } from '../logging/client-info';
import { AuthResponseDto } from './dto/auth-response.dto';
import { ApiAccountBanned } from '../users/standing/account-banned.dto';
import { PasskeySignIn } from './sign-in/passkey-sign-in';
import { SignedInReply } from './sign-in/signed-in-reply';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth/passkey')
export class PasskeySignInController {
  constructor(
    private readonly passkeys: PasskeyAuthentication,
    private readonly signInWith: PasskeySignIn,
    private readonly signedInReply: SignedInReply,
  ) {}

  @Public()
  @Post('options')
  @HttpCode(200)
  @JsonBodyOnly(PasskeySignInOptionsDto, { required: false })
  @ApiOperation({
    summary: 'Start a passkey sign-in',
    description:
      'PublicKeyCredentialRequestOptionsJSON for PublicKeyCredential.parseRequestOptionsFromJSON(), with an empty ' +
      'allow list: every passkey here is discoverable, so the browser offers those it holds for this site. The ' +
      'answer is the same whatever the email (accepted and validated, then ignored), so it tells nobody whether ' +
      'an account or a passkey exists. User verification is required. The challenge is single use and expires after 5 minutes.',
  })
  @ApiOkResponse({ type: RequestOptionsDto })
  // Documented by RequestOptionsDto; returned as the library built it. The email is validated, then ignored.
  options(@Body() _body: PasskeySignInOptionsDto): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.options();
  }

  @Public()
  @SetsSessionCookies()
  @Post()
  @HttpCode(200)
  @JsonBodyOnly(PasskeySignInDto)
  @ApiOperation({
    summary: 'Sign in with a passkey',
    description:
      'Takes credential.toJSON() of navigator.credentials.get(); answers as login does (tokens and cookies), with ' +
      'no second factor. 400: a malformed credential, or a challenge that is unknown, spent or expired. 401 (the ' +
      'same body for every reason): an unknown passkey, a signature, origin or relying party id that does not ' +
      'verify, an assertion without user verification, a signature counter that went backwards (a cloned ' +
      'authenticator), or a deactivated account.',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiAccountBanned()
  @ApiProblems(401, 403)
  async signIn(
    @Body() body: PasskeySignInDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto> {
    return this.signedInReply.send(reply, await this.signInWith.signIn(body.credential, clientInfo(request)));
  }
}
