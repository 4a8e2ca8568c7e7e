import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiJsonOrFormBody } from '../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { SetsSessionCookies } from '../security/sets-session-cookies.decorator';
import { toUserDto, UserDto } from '../users/dto/user.dto';
import { AuthCookies } from './auth-cookies';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from '../users/authenticated-user';
import { clientInfo } from '../logging/client-info';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { AuthResponseDto } from './dto/auth-response.dto';
import { MfaRequiredDto, MfaSignInDto } from './dto/mfa-sign-in.dto';
import { MfaSignIn } from './sign-in/mfa-sign-in';
import { PasswordSignIn } from './sign-in/password-sign-in';
import { SignedInReply } from './sign-in/signed-in-reply';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { UnauthorizedProblem } from './guards/unauthorized.exception';
import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';
import { ApiAccountBanned } from '../users/standing/account-banned.dto';
import { presentedAccessToken } from './strategies/presented-access-token';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordSignIn: PasswordSignIn,
    private readonly mfaSignIn: MfaSignIn,
    private readonly signedInReply: SignedInReply,
    private readonly cookies: AuthCookies,
  ) {}

  @Public()
  @SetsSessionCookies()
  @Post('register')
  @ApiOperation({ summary: 'Create an account', description: 'Unknown fields (such as role) are ignored.' })
  @ApiJsonOrFormBody(RegisterDto)
  @ApiCreatedResponse({ type: UserDto, description: 'The new user' })
  @ApiProblems(400, 403, 409, 413, 415, 429)
  async register(@Body() body: RegisterDto, @Req() request: FastifyRequest): Promise<UserDto> {
    return toUserDto(await this.auth.register(body, clientInfo(request)));
  }

  @Public()
  @SetsSessionCookies()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in',
    description:
      'Returns the tokens and sets the user_session and user_refresh HttpOnly cookies. For an account with TOTP ' +
      'enabled, a right password answers `{ mfaRequired: true, mfaToken, methods }` instead, with no tokens and ' +
      'no cookies: the sign-in finishes at POST /user/auth/mfa.',
  })
  @ApiJsonOrFormBody(LoginDto)
  @ApiExtraModels(AuthResponseDto, MfaRequiredDto)
  @ApiOkResponse({
    description: 'Signed in, or the second factor is due',
    schema: { oneOf: [{ $ref: getSchemaPath(AuthResponseDto) }, { $ref: getSchemaPath(MfaRequiredDto) }] },
  })
  @ApiAccountBanned()
  @ApiProblems(400, 401, 403, 415, 429)
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto | MfaRequiredDto> {
    const outcome = await this.passwordSignIn.login(body.email, body.password, clientInfo(request));
    return 'mfaRequired' in outcome ? outcome : this.signedInReply.send(reply, outcome);
  }

  @Public()
  @SetsSessionCookies()
  @Post('mfa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a sign-in with the second factor',
    description:
      'The mfaToken from login and a code: the 6-digit TOTP code (one step of drift either side, each code ' +
      'once) or a recovery code (each once). Answers like login. A wrong or reused code, or a spent, expired or ' +
      'dead token: 401 with the body of a failed login; wrong codes count toward the account lockout (429). A ' +
      'TOTP secret the service cannot read (SECRET_KEY changed): 503 "second factor unavailable", while a ' +
      'recovery code still works.',
  })
  @ApiJsonOrFormBody(MfaSignInDto)
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiAccountBanned()
  @ApiProblems(400, 401, 415, 429, 503)
  async mfa(
    @Body() body: MfaSignInDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto> {
    return this.signedInReply.send(reply, await this.mfaSignIn.complete(body.mfaToken, body.code, clientInfo(request)));
  }

  @Public()
  @SetsSessionCookies()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'The refresh token comes from the body or the user_refresh cookie (the body wins). It is single use: ' +
      'presenting a spent one ends the whole session.',
  })
  // Optional: a browser sends no body and lets the user_refresh cookie speak.
  @ApiJsonOrFormBody(RefreshDto, { required: false })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiProblems(400, 401, 403, 415, 429)
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto> {
    const token = body?.refreshToken || this.cookies.refreshToken(request);
    if (!token) throw new UnauthorizedProblem('A refresh token is required');
    return this.signedInReply.send(reply, await this.auth.refresh(token, clientInfo(request)));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out this session',
    description:
      'Always 204 (whether or not a session was live): ends the session named by the access token (or the refresh ' +
      'token) and clears the cookies. A body of the wrong shape is 400, like on every route.',
  })
  @ApiJsonOrFormBody(RefreshDto, { required: false })
  @ApiNoContentResponse({ description: 'Signed out (or was not signed in)' })
  @ApiProblems(400, 429)
  async logout(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const refreshToken = body.refreshToken || this.cookies.refreshToken(request);
    await this.auth.logout(presentedAccessToken(request, this.cookies), refreshToken, request.ip);
    this.cookies.clear(reply);
  }

  @NotWhileImpersonating()
  @Post('logout-all')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE_SCHEME)
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ summary: 'Sign out everywhere', description: 'Every token of this user stops working.' })
  @ApiNoContentResponse({ description: 'Every session ended' })
  @ApiProblems(401, 403, 429)
  async logoutAll(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logoutAll(caller.user, request.ip);
    this.cookies.clear(reply);
  }
}
