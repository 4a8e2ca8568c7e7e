import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { RequiresRecentAuth } from '../sessions/recent-proof/requires-recent-auth.decorator';
import { AuthenticatedUser, signedInCaller } from '../users/authenticated-user';
import {
  DisableTotpDto,
  EnableTotpDto,
  RecoveryCodesDto,
  RegenerateRecoveryCodesDto,
  TotpSetupDto,
} from './dto/totp.dto';
import { MfaService } from './mfa.service';
import { PENDING_TOTP_LIFETIME_MS } from './totp-factor.repository';
import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';

const OTHER_SESSIONS_END = 'Every other session of the account ends; the one making this request stays.';
const COUNTS_TOWARD_LOCKOUT =
  'Every wrong password or code counts toward the account lockout (like a failed login) and is audited as ' +
  '`reauth.failed`; while the account is locked: 429 with Retry-After.';

@ApiTags('Second factors')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@NotWhileImpersonating()
@Controller('user/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @RequiresRecentAuth()
  @Post('totp/setup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start setting up a TOTP authenticator',
    description:
      'A new secret, pending until POST /user/mfa/totp/enable proves the app holds it; a new setup replaces a ' +
      'pending one, and it waits 10 minutes. 409 when TOTP is already enabled. Needs a recent proof of identity ' +
      '(see POST /user/auth/reauthenticate).',
  })
  @ApiOkResponse({ type: TotpSetupDto })
  @ApiProblems(401, 403, 409)
  setup(@CurrentUser() caller: AuthenticatedUser, @Req() request: FastifyRequest): Promise<TotpSetupDto> {
    return this.mfa.setup(signedInCaller(caller, request));
  }

  @RequiresRecentAuth({ firstStepLiveMs: PENDING_TOTP_LIFETIME_MS })
  @Post('totp/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable TOTP with a first code',
    description:
      'Answers the ten recovery codes, shown only this once. A wrong code: 400 with a field error (a setup not ' +
      'finished yet: it counts toward no lockout); no pending ' +
      `setup, or TOTP already enabled: 409. ${OTHER_SESSIONS_END} Enables exactly the secret the code was ` +
      'checked against; accepted when the setup was made under a recent proof of identity and is still pending.',
  })
  @ApiJsonOrFormBody(EnableTotpDto)
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblems(401, 403, 409)
  async enable(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: EnableTotpDto,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.mfa.enable(signedInCaller(caller, request), body.code) };
  }

  @Post('totp/disable')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Disable TOTP',
    description:
      'Needs the password and a current code (TOTP or a recovery code); removes the secret and the recovery ' +
      `codes. A wrong password or code: 400 with a field error; TOTP not enabled: 409. ${COUNTS_TOWARD_LOCKOUT} ` +
      OTHER_SESSIONS_END,
  })
  @ApiJsonOrFormBody(DisableTotpDto)
  @ApiNoContentResponse({ description: 'TOTP disabled' })
  @ApiProblems(401, 403, 409)
  async disable(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: DisableTotpDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.mfa.disable(signedInCaller(caller, request), body.password, body.code);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the recovery codes',
    description:
      'Needs the password; answers a new set of ten, and the old set stops working. A wrong password: 400 with ' +
      `a field error; TOTP not enabled: 409. ${COUNTS_TOWARD_LOCKOUT} ${OTHER_SESSIONS_END}`,
  })
  @ApiJsonOrFormBody(RegenerateRecoveryCodesDto)
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblems(401, 403, 409)
  async regenerate(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: RegenerateRecoveryCodesDto,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.mfa.regenerateRecoveryCodes(signedInCaller(caller, request), body.password) };
  }
}
