import { Delete, HttpCode, Param, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { uuidParam } from '../common/uuid-param.pipe';
import { RequiresRecentAuth } from '../sessions/recent-proof/requires-recent-auth.decorator';
import { AuthenticatedUser } from '../users/authenticated-user';
import { MfaAdministration } from './mfa-administration';
import { AdminController } from '../common/decorators/admin-controller.decorator';

@AdminController('admin/users')
export class MfaAdminController {
  constructor(private readonly administration: MfaAdministration) {}

  @RequiresRecentAuth()
  @Delete(':id/mfa')
  @HttpCode(204)
  @ApiOperation({
    summary: "Remove a user's second factors",
    description:
      'For a user who lost their device: removes their TOTP secret and recovery codes, and ends every session ' +
      'of theirs. 404 for an unknown user. Needs a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  @ApiNoContentResponse({ description: 'Second factors removed, sessions ended' })
  @ApiProblems(400, 401, 403, 404)
  async reset(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.administration.resetFactors(id, caller.user.id, request.ip);
  }
}
