import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../../common/openapi/api-problems.decorator';
import { toUserDto, UserDto } from '../../users/dto/user.dto';
import { Public } from '../../common/decorators/public.decorator';
import { ForgotPasswordDto } from './dto/forgot-password.dto';
import { MailAcceptedDto } from './dto/mail-accepted.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth')
export class PasswordResetController {
  constructor(private readonly passwordReset: PasswordResetService) {}

  @Public()
  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a password-reset link',
    description:
      'Always 202 with the same body, in about the same time, whether or not an account has the address: ' +
      'the address is looked up and the mail queued after the answer. ' +
      'The link (FRONTEND_URL/reset-password?token=…) works for 30 minutes; an earlier one stops working. ' +
      'Limited per address (RATE_LIMIT_EMAIL_REQUESTS per RATE_LIMIT_EMAIL_WINDOW seconds). 503 "mail is not ' +
      'configured" in production without SMTP_URL.',
  })
  @ApiJsonOrFormBody(ForgotPasswordDto)
  @ApiAcceptedResponse({ type: MailAcceptedDto, description: 'Queued if an account has the address' })
  @ApiProblems(400, 413, 415, 429, 503)
  async forgot(@Body() body: ForgotPasswordDto, @Req() request: FastifyRequest): Promise<MailAcceptedDto> {
    await this.passwordReset.request(body.email, request.ip);
    return { message: 'If an account has this address, a link to reset its password is on its way' };
  }

  @Public()
  @Post('reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the token from the mailed link',
    description:
      'Every session and token of the user stops working and the token is spent. An unknown, spent, ' +
      'replaced or expired token: 400, always the same body. A password the policy refuses: 400 with a ' +
      'newPassword field error, and the token stays valid.',
  })
  @ApiJsonOrFormBody(ResetPasswordDto)
  @ApiOkResponse({ type: UserDto, description: 'The user; sign in again with the new password' })
  @ApiProblems(400, 413, 415, 429)
  async reset(@Body() body: ResetPasswordDto, @Req() request: FastifyRequest): Promise<UserDto> {
    return toUserDto(await this.passwordReset.reset(body.token, body.newPassword, request.ip));
  }
}
