import { Body, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { uuidParam } from '../../common/uuid-param.pipe';
import { RequiresRecentAuth } from '../../sessions/recent-proof/requires-recent-auth.decorator';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { AdminUserDto, toAdminUserDto } from '../../users/dto/admin-user.dto';
import { BanUserDto } from '../dto/ban-user.dto';
import { AccountBans } from './account-bans';
import { AdminController } from '../../common/decorators/admin-controller.decorator';

@AdminController('admin/users')
export class BansController {
  constructor(private readonly bans: AccountBans) {}

  @RequiresRecentAuth()
  @Post(':id/ban')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ban a user',
    description:
      'Every session and pending mfaToken of the user ends at once; every way of signing in then answers 403 ' +
      'with `"code": "account_banned"` and `until` once the credential is verified (a wrong password stays ' +
      '401). Without `until` the ban lasts until lifted; with it, it lifts itself at that time. Banning again ' +
      'replaces the reason and the end. The user is mailed. The last active admin cannot be banned (409). Needs ' +
      'a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  @ApiJsonOrFormBody(BanUserDto)
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 429)
  async ban(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Body() body: BanUserDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserDto> {
    const ban = { reason: body.reason, until: body.until ? new Date(body.until) : null };
    return toAdminUserDto(await this.bans.ban(id, ban, caller.user.id, request.ip));
  }

  @RequiresRecentAuth()
  @Delete(':id/ban')
  @ApiOperation({
    summary: "Lift a user's ban",
    description:
      'The user may sign in again (their sessions ended with the ban). Answers the user whether or not a ban ' +
      'was there. Needs a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async lift(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserDto> {
    return toAdminUserDto(await this.bans.lift(id, caller.user.id, request.ip));
  }
}
