import { Body, Delete, Get, HttpCode, Param, Patch, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../common/openapi/api-body.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { uuidParam } from '../common/uuid-param.pipe';
import { SecurityLogger } from '../security/security-logger';
import { RequiresRecentAuth } from '../sessions/recent-proof/requires-recent-auth.decorator';
import { AdminUpdateUserDto, AdminUserQueryDto, UserPageDto } from './dto/admin-users.dto';
import { AdminUserDto, toAdminUserDto } from './dto/admin-user.dto';
import { UsersDirectory } from './users-directory';
import { UsersService } from './users.service';
import { AdminController } from '../common/decorators/admin-controller.decorator';

@AdminController('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UsersDirectory,
    private readonly security: SecurityLogger,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users, newest first, with optional search on names and email' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403, 429)
  async list(@Query() query: AdminUserQueryDto): Promise<UserPageDto> {
    const page = await this.directory.list(query.page, query.limit, query.search);
    return { ...page, items: page.items.map(toAdminUserDto) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async get(@Param('id', uuidParam()) id: string): Promise<AdminUserDto> {
    return toAdminUserDto(await this.users.getById(id));
  }

  @RequiresRecentAuth()
  @Patch(':id')
  @ApiOperation({
    summary: 'Change role or activity',
    description:
      'Deactivating revokes every token of the user. The last active admin (active, no ban in force) cannot be ' +
      'demoted or deactivated (409). ' +
      'Needs a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  // Every field is optional, so no body is a valid (empty) change, as {} is.
  @ApiJsonOrFormBody(AdminUpdateUserDto, { required: false })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 429)
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Body() body: AdminUpdateUserDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserDto> {
    const user = await this.users.adminUpdate(id, { role: body.role, isActive: body.isActive }, caller.user.id);
    this.security.event('admin_action', {
      action: 'update_user',
      actor_id: caller.user.id,
      target_id: id,
      changes: { role: body.role, isActive: body.isActive },
      ip_address: request.ip,
    });
    return toAdminUserDto(user);
  }

  @RequiresRecentAuth()
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user',
    description:
      'The last active admin cannot be deleted (409). Needs a recent proof of identity (see POST ' +
      '/user/auth/reauthenticate).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async delete(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const user = await this.users.delete(id, { action: 'admin.user_deleted', actorId: caller.user.id });
    this.security.event('admin_action', {
      action: 'delete_user',
      actor_id: caller.user.id,
      target_id: id,
      target_email: user.email,
      ip_address: request.ip,
    });
  }
}
