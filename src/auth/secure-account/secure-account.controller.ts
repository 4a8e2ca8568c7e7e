import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Public } from '../../common/decorators/public.decorator';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../../common/openapi/api-problems.decorator';
import { AccountSecuredDto, SecureAccountDto } from './dto/secure-account.dto';
import { SecureAccountService } from './secure-account.service';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth')
export class SecureAccountController {
  constructor(private readonly secureAccount: SecureAccountService) {}

  @Public()
  @Post('secure-account')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Secure the account with the token from a security notification ("this wasn\'t me")',
    description:
      'The link (FRONTEND_URL/secure-account?token=…) comes in the mail about a passkey or authenticator app added, ' +
      'a password changed or reset, or a sign-in from a new device, and works for 7 days; a later notification ' +
      'does not void it. It ends every session and pending second-factor sign-in, voids every mailed link ' +
      '(the other secure-account links included), removes the passkey or the authenticator app (with its ' +
      'recovery codes) that the notified event added if it is still there, and mails a password-reset link. ' +
      'Nothing older is removed. An unknown, spent, voided or expired token: 400, always the same body.',
  })
  @ApiJsonOrFormBody(SecureAccountDto)
  @ApiOkResponse({ type: AccountSecuredDto, description: 'The account is secured' })
  @ApiProblems(400, 413, 415, 429)
  async secure(@Body() body: SecureAccountDto, @Req() request: FastifyRequest): Promise<AccountSecuredDto> {
    const secured = await this.secureAccount.secure(body.token, request.ip);
    const next = secured.user.isActive ? ' A link to choose a new password is on its way.' : '';
    return { message: `Every session has ended.${next}`, removed: secured.removed };
  }
}
