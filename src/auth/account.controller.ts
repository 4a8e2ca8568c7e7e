import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiJsonOrFormBody } from '../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { ProblemException } from '../common/problem-details/problem.exception';
import { uuidParam } from '../common/uuid-param.pipe';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { SecurityLogger } from '../security/security-logger';
import { AuthCookies } from './auth-cookies';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from '../users/authenticated-user';
import { clientInfo } from '../logging/client-info';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { AuthResponseDto, SessionDto } from './dto/auth-response.dto';
import { ChangePasswordDto, DeleteAccountDto } from './dto/password.dto';
import { SessionsService } from '../sessions/sessions.service';
import {
  ApiImpersonationForbidden,
  NotWhileImpersonating,
} from '../common/decorators/not-while-impersonating.decorator';
import { refuseWhileImpersonating } from '../users/impersonation/impersonation.guard';
import { SignedInReply } from './sign-in/signed-in-reply';

/** The current user's credentials and sessions (two tags: sessions have their own in the document). */
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@Controller('user')
export class AccountController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly cookies: AuthCookies,
    private readonly security: SecurityLogger,
    private readonly signedInReply: SignedInReply,
  ) {}

  @NotWhileImpersonating()
  @Post('me/password')
  @ApiTags('Current user')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change the password',
    description:
      'Every earlier token of the user stops working, including the one used for this call; this client ' +
      'receives fresh tokens and cookies. A wrong current password: 400 with a field error; it counts toward ' +
      'the account lockout and is audited as `reauth.failed` (while locked: 429 with Retry-After).',
  })
  @ApiJsonOrFormBody(ChangePasswordDto)
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiProblems(400, 401, 403, 415, 429)
  async changePassword(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto> {
    const signedIn = await this.auth.changePassword(
      caller.user,
      body.currentPassword,
      body.newPassword,
      clientInfo(request),
    );
    return this.signedInReply.send(reply, signedIn);
  }

  @NotWhileImpersonating()
  @Delete('me')
  @ApiTags('Current user')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete the account',
    description:
      'The account and all its sessions are deleted. The last active admin cannot delete itself (409). A wrong ' +
      'password: 400 with a field error; it counts toward the account lockout and is audited as `reauth.failed` ' +
      '(while locked: 429 with Retry-After).',
  })
  @ApiJsonOrFormBody(DeleteAccountDto)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 409, 415, 429)
  async deleteAccount(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.deleteAccount(caller.user, body.password, request.ip);
    this.cookies.clear(reply);
  }

  @Get('sessions')
  @ApiTags('Sessions')
  @ApiOperation({ summary: "List this user's live sessions" })
  @ApiOkResponse({ type: [SessionDto] })
  @ApiProblems(401, 429)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<SessionDto[]> {
    const sessions = await this.sessions.listLive(caller.user.id);
    return sessions.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
      current: session.id === caller.sessionId,
      impersonation: session.impersonatorId !== null,
    }));
  }

  @Delete('sessions/:id')
  @ApiTags('Sessions')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End one of your sessions',
    description:
      "Its tokens stop working. 404 if it is not the caller's. An impersonation token may end only its own " +
      'session (403 impersonation_forbidden for another).',
  })
  @ApiImpersonationForbidden()
  @ApiNoContentResponse({ description: 'Session ended' })
  @ApiProblems(400, 401, 403, 404, 429)
  async revoke(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    // An impersonation token may end its own session (as logout does), never another.
    if (id !== caller.sessionId) refuseWhileImpersonating(caller);
    if (!(await this.sessions.revokeOwned(caller.user.id, id))) {
      throw new ProblemException(404, 'You have no live session with this id');
    }
    this.security.event('session_revoked', { user_id: caller.user.id, session_id: id, ip_address: request.ip });
  }
}
