import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../../common/openapi/security-schemes';
import { toUserDto, UserDto } from '../../users/dto/user.dto';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { MailAcceptedDto } from './dto/mail-accepted.dto';
import { VerifyEmailDto } from './dto/verify-email.dto';
import { EmailVerificationService } from './email-verification.service';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post('verify-email/request')
  @HttpCode(202)
  @ApiCookieAuth(SESSION_COOKIE_SCHEME)
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({
    summary: 'Mail a new verification link to the signed-in user',
    description:
      'The link (FRONTEND_URL/verify-email?token=…) works for 24 hours; an earlier one stops working. Nothing is ' +
      'sent when the address is already verified. Limited per address (RATE_LIMIT_EMAIL_REQUESTS per ' +
      'RATE_LIMIT_EMAIL_WINDOW seconds). 503 "mail is not configured" in production without SMTP_URL.',
  })
  @ApiAcceptedResponse({ type: MailAcceptedDto, description: 'The mail is queued' })
  @ApiProblems(401, 403, 429, 503)
  async request(@CurrentUser() caller: AuthenticatedUser, @Req() request: FastifyRequest): Promise<MailAcceptedDto> {
    await this.verification.request(caller.user, request.ip);
    return { message: 'Unless the address is already verified, a verification link is on its way' };
  }

  @Public()
  @Post('verify-email')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm an email address with the token from the mailed link',
    description: 'The token is spent. An unknown, spent, replaced or expired token: 400, always the same body.',
  })
  @ApiJsonOrFormBody(VerifyEmailDto)
  @ApiOkResponse({ type: UserDto, description: 'The user, with emailVerified true' })
  @ApiProblems(400, 413, 415, 429)
  async verify(@Body() body: VerifyEmailDto, @Req() request: FastifyRequest): Promise<UserDto> {
    return toUserDto(await this.verification.verify(body.token, request.ip));
  }
}
