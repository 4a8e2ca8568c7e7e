import { Body, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { uuidParam } from '../../common/uuid-param.pipe';
import { RequiresRecentAuth } from '../../sessions/recent-proof/requires-recent-auth.decorator';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { ImpersonateDto, ImpersonationTokenDto } from '../dto/impersonation.dto';
import { Impersonations } from './impersonations';
import { AdminController } from '../../common/decorators/admin-controller.decorator';

@AdminController('admin/users')
export class ImpersonationController {
  constructor(private readonly impersonations: Impersonations) {}

  @RequiresRecentAuth()
  @Post(':id/impersonate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Act as a user, for support',
    description:
      'Answers an access token for the user whose claims carry `act: { sub: <your admin id> }`, living ' +
      'IMPERSONATION_MINUTES (15) at most: no refresh token, no cookie. It has a session of its own, listed to ' +
      'the user (no address or user agent, `impersonation: true`), who may end it; POST /user/auth/logout with ' +
      'it ends it too. With it, GET /user/me adds `impersonatedBy`, every audit row names you as actor with ' +
      '`details.impersonation: true`, and changing the password, factors, passkeys or identities, ' +
      'reauthenticating, deleting the account, signing out everywhere, ending another session and every /admin ' +
      'route answer 403 `impersonation_forbidden`. It stops working (401) as soon as the user becomes an admin, ' +
      'is deactivated or banned, or you are demoted, deactivated, banned or deleted. The user is mailed and sees ' +
      'the start, with your reason, in their activity. 403 for an administrator, a deactivated or a banned ' +
      'account. Needs a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  @ApiJsonOrFormBody(ImpersonateDto)
  @ApiOkResponse({ type: ImpersonationTokenDto })
  @ApiProblems(400, 401, 403, 404, 415, 429)
  async impersonate(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Body() body: ImpersonateDto,
    @Req() request: FastifyRequest,
  ): Promise<ImpersonationTokenDto> {
    const issued = await this.impersonations.start(id, caller.user.id, body.reason, request.ip);
    return { accessToken: issued.accessToken, tokenType: 'Bearer', expiresIn: issued.expiresIn };
  }
}
