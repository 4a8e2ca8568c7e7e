import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { JsonBodyOnly } from '../common/body-shape/json-body-only';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { MetricsService } from '../metrics/metrics.service';
import { PasskeySignInDto, PasskeySignInOptionsDto } from '../passkeys/dto/passkey-requests.dto';
import { RequestOptionsDto } from '../passkeys/dto/webauthn-options.dto';
import { PasskeyAuthentication } from '../passkeys/passkey-authentication';
import { SetsSessionCookies } from '../security/sets-session-cookies.decorator';
import { clientInfo } from '../logging/client-info';
import { AuthCookies } from './auth-cookies';
import { AuthService } from './auth.service';
import { AuthResponseDto } from './dto/auth-response.dto';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { signedInReply } from './signed-in-reply';
import { ApiAccountBanned } from '../users/standing/account-banned.dto';

/** The one answer to every refused passkey, whatever the reason (the security log keeps it). */
const PASSKEY_SIGN_IN_FAILED = 'The passkey sign-in failed';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth/passkey')
export class PasskeySignInController {
  constructor(
    private readonly passkeys: PasskeyAuthentication,
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
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
    const result = await this.passkeys.verify(body.credential, request.ip);
    if (result.outcome !== 'verified') {
      // Counted with failed logins; a success is counted by startSession like every sign-in.
      this.metrics.loginAttempt('failure');
      throw new UnauthorizedProblem(PASSKEY_SIGN_IN_FAILED);
    }
    const signedIn = await this.auth.startSession(result.user, clientInfo(request), {
      action: 'passkey.signed_in',
      details: { passkeyId: result.passkeyId },
    });
    return signedInReply(signedIn, reply, this.cookies, this.clock.now());
  }
}
